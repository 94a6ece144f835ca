import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCLI

/// Issue 15, finding 5: Claude pushes vanish silently where channels are unavailable, and nobody was told. `agent show`
/// names each agent's push path and what can stop it.
@Suite struct AgentPushPathTests {
    func agent(_ runtime: RuntimeValue, push: Bool = true, nudge: Bool = true) -> AgentResponse {
        AgentResponse(
            id: "a1",
            address: "api:dev",
            repo: "api",
            name: "dev",
            runtime: runtime,
            command: nil,
            args: [],
            roles: [],
            isMain: false,
            pushEnabled: push,
            nudgeEnabled: nudge,
            persona: nil,
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    // Each runtime's path is derived on the daemon (PushConfirmationTests.eachRuntimeHasItsPath); the CLI prints it.

    @Test func showPrintsThePathTheConfirmationAndTheWarning() {
        var agent = self.agent(.claude)
        (agent.pushPath, agent.pushPathReason) = (.typed, "the channel push of 04:10:00 was not confirmed within 60 s")
        agent.lastPushAt = Date(timeIntervalSince1970: 1_800_000_000)
        agent.lastPushPath = .typed
        agent.pushWarning = "channel pushes are not reaching the model"

        let lines = AgentCommand.describePush(agent, timeZone: TimeZone(identifier: "UTC")!)

        #expect(lines.contains { $0.hasPrefix("push path: typed") && $0.contains("not confirmed within 60 s") })
        #expect(lines.contains { $0.hasPrefix("last push: 2027-01-15 08:00:00") && $0.contains("(typed)") })
        #expect(lines.contains("confirmed: never"))
        #expect(lines.contains("warning:  channel pushes are not reaching the model"))
    }

    @Test func listMarksAnAgentWhosePushesGoUnconfirmed() {
        var agent = self.agent(.claude)
        agent.pushPath = .channel
        let quiet = AgentCommand.pushColumn(agent)
        agent.pushWarning = "pushes unconfirmed for 75 s"

        #expect(quiet == "channel")
        #expect(AgentCommand.pushColumn(agent) == "channel (unconfirmed)")
    }

    @Test func theChannelPathSaysWhatSwitchesItOff() {
        let text = AgentPushPath.channel.explanation
        #expect(text.contains("claude -p") && text.contains("DISABLE_TELEMETRY") && text.contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"))
    }
}
