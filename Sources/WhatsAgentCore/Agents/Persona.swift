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

    /// Checks the length limits; the error names the field and its limit.
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
            if let value, value.count > limit {
                throw DomainError.invalidArgument(
                    "persona field '\(name)' has \(value.count) characters; the limit is \(limit) — shorten it"
                )
            }
        }
    }
}
