import Testing
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentServer

@testable import WhatsAgentRunners

/// The persona is declared once (`Persona`, in the core) with one wire form (`PersonaValue`) and one conversion,
/// which the HTTP API, the CLI's persona file and the launch prompt all go through.
@Suite struct PersonaWireFormTests {
    static let persona = Persona(
        description: "Owns the API",
        responsibilities: "Reviews schema changes",
        boundaries: "Never touches the web UI",
        skills: "Swift, GRDB",
        workingStyle: "Small PRs",
        extraPrompt: "Ask the human before a migration."
    )

    @Test func everyFieldSurvivesTheRoundTrip() {
        #expect(PersonaValue(Self.persona).domain == Self.persona)
        #expect(PersonaValue(Persona()).domain == Persona())
    }

    @Test func theLaunchPromptRendersEveryFieldOfTheWireForm() throws {
        let text = try #require(PersonaValue(Self.persona).rendered)
        for field in [
            Self.persona.description, Self.persona.responsibilities, Self.persona.boundaries, Self.persona.skills,
            Self.persona.workingStyle, Self.persona.extraPrompt,
        ] {
            #expect(text.contains(try #require(field)))
        }
    }
}
