import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

@Suite struct LaunchPromptTests {
    @Test func promptIsProtocolThenPersonaThenDeliveryNote() {
        let prompt = LaunchPrompt(
            colleagueProtocol: "PROTOCOL\n",
            persona: PersonaValue(description: "Owns the API", boundaries: " ", workingStyle: "Small PRs", extraPrompt: "Ask first.")
        )
        #expect(
            prompt.text(for: .claude) == """
                PROTOCOL

                # Your persona

                ## Description
                Owns the API

                ## Working style
                Small PRs

                Ask first.

                ## Delivery on this side
                A `<channel source="whatsagent" …>` message means mail is waiting: call `check_messages` now, handle it, then resume.
                """
        )
    }

    @Test func emptyPersonaAddsNothingAndEveryRuntimeHasItsNote() {
        let prompt = LaunchPrompt(colleagueProtocol: "P", persona: PersonaValue(description: ""))
        for runtime in RuntimeKind.allCases {
            let text = prompt.text(for: runtime)
            #expect(!text.contains("# Your persona"))
            #expect(text.hasPrefix("P\n\n## Delivery on this side\n"))
            #expect(text.contains("check_messages"))
        }
        #expect(LaunchPrompt().text(for: .pi).hasPrefix("# Working with colleagues (WhatsAgent)"))
    }
}
