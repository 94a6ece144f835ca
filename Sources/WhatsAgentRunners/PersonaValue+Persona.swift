import WhatsAgentAPI
import WhatsAgentCore

/// The one conversion between the persona (`Persona`, declared and validated in the core) and its wire form
/// (`PersonaValue`, which the CLI sends and the launch prompt renders).
extension PersonaValue {
    public init(_ persona: Persona) {
        self.init(
            description: persona.description,
            responsibilities: persona.responsibilities,
            boundaries: persona.boundaries,
            skills: persona.skills,
            workingStyle: persona.workingStyle,
            extraPrompt: persona.extraPrompt
        )
    }

    /// The persona this wire form carries.
    public var domain: Persona {
        Persona(
            description: self.description,
            responsibilities: self.responsibilities,
            boundaries: self.boundaries,
            skills: self.skills,
            workingStyle: self.workingStyle,
            extraPrompt: self.extraPrompt
        )
    }
}
