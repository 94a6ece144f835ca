import Foundation
import Testing
import WhatsAgentAPI

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

    @Test func eachRuntimeHasItsPath() {
        #expect(self.agent(.claude).pushPath == .channel)
        #expect(self.agent(.opencode).pushPath == .plugin)
        #expect(self.agent(.pi).pushPath == .extension)
        #expect(self.agent(.codex).pushPath == .typed)
        #expect(self.agent(.custom, nudge: false).pushPath == .none)
        #expect(self.agent(.claude, push: false).pushPath == .none)
    }

    @Test func theChannelPathSaysWhatSwitchesItOff() {
        let text = AgentPushPath.channel.explanation
        #expect(text.contains("claude -p") && text.contains("DISABLE_TELEMETRY") && text.contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"))
    }
}
