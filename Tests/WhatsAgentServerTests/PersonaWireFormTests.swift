import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentServer

@testable import WhatsAgentRunners

/// The persona is declared once (`PersonaValue`, in the API; the core's `Persona` is the same type): the HTTP API, the
/// CLI's persona file and the launch prompt all carry that one type.
@Suite struct PersonaWireFormTests {
    static let persona = Persona(
        description: "Owns the API",
        responsibilities: "Reviews schema changes",
        boundaries: "Never touches the web UI",
        skills: "Swift, GRDB",
        workingStyle: "Small PRs",
        extraPrompt: "Ask the human before a migration."
    )

    @Test func everyFieldSurvivesTheWireRoundTrip() throws {
        for persona in [Self.persona, Persona()] {
            let data = try WireJSON.encoder().encode(persona)
            #expect(try WireJSON.decoder().decode(PersonaValue.self, from: data) == persona)
        }
    }

    @Test func theLaunchPromptRendersEveryFieldOfTheWireForm() throws {
        let text = try #require(Self.persona.rendered)
        for field in [
            Self.persona.description, Self.persona.responsibilities, Self.persona.boundaries, Self.persona.skills,
            Self.persona.workingStyle, Self.persona.extraPrompt,
        ] {
            #expect(text.contains(try #require(field)))
        }
    }
}
