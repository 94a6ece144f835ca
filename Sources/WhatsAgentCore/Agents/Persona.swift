/// Optional per-agent prompt material injected at launch (SPEC §6.4).
public struct Persona: Equatable, Sendable, Codable {
    public var description: String?
    public var responsibilities: String?
    public var boundaries: String?
    public var skills: String?
    public var workingStyle: String?
    public var extraPrompt: String?

    /// Longest value of a field other than `extraPrompt`.
    public static let maxFieldCharacters = 4000
    /// Longest `extraPrompt`.
    public static let maxExtraPromptCharacters = 16_000

    public init(
        description: String? = nil,
        responsibilities: String? = nil,
        boundaries: String? = nil,
        skills: String? = nil,
        workingStyle: String? = nil,
        extraPrompt: String? = nil
    ) {
        self.description = description
        self.responsibilities = responsibilities
        self.boundaries = boundaries
        self.skills = skills
        self.workingStyle = workingStyle
        self.extraPrompt = extraPrompt
    }

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
