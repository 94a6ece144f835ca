import WhatsAgentAPI

/// Optional per-agent prompt material injected at launch (SPEC §6.4): the API's ``PersonaValue`` (declared once,
/// there — the CLI sends it, the launch prompt renders it, the store keeps it), with its limits here.
public typealias Persona = PersonaValue

extension Persona {
    /// Longest value of a field other than `extraPrompt`.
    public static let maxFieldCharacters = 4000
    /// Longest `extraPrompt`.
    public static let maxExtraPromptCharacters = 16_000

    /// True when no field carries text.
    public var isEmpty: Bool {
        [self.description, self.responsibilities, self.boundaries, self.skills, self.workingStyle, self.extraPrompt]
            .allSatisfy { ($0 ?? "").isEmpty }
    }

    /// Checks the length limits (Unicode scalars) and refuses a NUL (``FreeText``); the error names the field.
    public func validate() throws {
        let fields: [(String, String?, Int)] = [
            ("description", self.description, Self.maxFieldCharacters),
            ("responsibilities", self.responsibilities, Self.maxFieldCharacters),
            ("boundaries", self.boundaries, Self.maxFieldCharacters),
            ("skills", self.skills, Self.maxFieldCharacters),
            ("working_style", self.workingStyle, Self.maxFieldCharacters),
            ("extra_prompt", self.extraPrompt, Self.maxExtraPromptCharacters),
        ]
        for (name, value, limit) in fields {
            if let value { try FreeText.check(value, field: name, limit: limit, advice: "shorten this persona field") }
        }
    }
}
