import ArgumentParser
import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentCLI

@Suite struct ManagedAgentCommandTests {
    @Test func launchStopAndAttachParse() throws {
        let launch = try #require(try WhatsAgent.parseAsRoot(["agent", "launch", "api:dev", "--workspace", "w", "--json"]) as? AgentCommand.Launch)
        #expect(launch.address == "api:dev" && launch.scope.workspace == "w" && launch.global.json)
        let stop = try #require(try WhatsAgent.parseAsRoot(["agent", "stop", "api:dev"]) as? AgentCommand.Stop)
        #expect(stop.address == "api:dev")
        let attach = try #require(try WhatsAgent.parseAsRoot(["agent", "attach", "api:dev", "--home", "/h"]) as? AgentCommand.Attach)
        #expect(attach.address == "api:dev" && attach.global.layout.root == "/h")
    }

    @Test func insideAnAgentSessionTheRunnerAndMCPStayAvailableButLaunchIsRefused() {
        let environment = ["WHATSAGENT_SESSION_TOKEN": "wa1_x", "WHATSAGENT_AGENT": "api:dev"]
        #expect(CommandLineMain.agentSessionRefusal(path: ["whatsagent", "runner"], environment: environment) == nil)
        #expect(CommandLineMain.agentSessionRefusal(path: ["whatsagent", "mcp"], environment: environment) == nil)
        let refusal = CommandLineMain.agentSessionRefusal(path: ["whatsagent", "agent", "launch"], environment: environment)
        #expect(refusal?.code == "human_only" && refusal?.message.contains("api:dev") == true)
    }

    @Test func showDescribesALiveAndAnEndedSession() {
        let live = AgentSessionResponse(
            id: "s1",
            kind: "managed",
            startedAt: Date(),
            online: true,
            runnerAlive: true,
            runnerPid: 10,
            childPid: 11,
            attention: "Do you want to proceed?",
            pendingNudge: true
        )
        let lines = AgentCommand.describe(live)
        #expect(lines.first == "session:  managed s1 (online)")
        #expect(lines.contains("pid:      11 (runner 10)"))
        #expect(lines.contains { $0.hasPrefix("attention: Do you want to proceed?") })
        #expect(lines.contains { $0.hasPrefix("pending:  mail is waiting") })

        let tail = (1...30).map { "line \($0)" }.joined(separator: "\n") + "\n\u{1B}[31mred\u{1B}[0m"
        let ended = AgentSessionResponse(
            id: "s2",
            kind: "managed",
            startedAt: Date(),
            endedAt: Date(),
            endReason: "exited with code 3",
            exitCode: 3,
            exitTail: tail
        )
        // A running agent that is not online says why (never a bare "offline, runner alive").
        var running = live
        running.online = false
        running.attention = nil
        #expect(AgentCommand.describe(running).first?.hasPrefix("session:  managed s1 (running, but its MCP server is not connected") == true)

        let text = AgentCommand.describe(ended).joined(separator: "\n")
        #expect(text.contains("ended: exited with code 3") && text.contains("exit:     code 3"))
        #expect(text.contains("line 30") && !text.contains("line 5\n") && !text.contains("\u{1B}"))
    }
}

/// The STATE column of `agent list` (issue 17).
@Suite struct AgentStateTests {
    func agent(_ session: AgentSessionResponse?) -> AgentResponse {
        var agent = AgentResponse(
            id: "a",
            address: "api:a",
            repo: "api",
            name: "a",
            runtime: .custom,
            command: "sh",
            args: [],
            roles: ["engineer"],
            isMain: false,
            pushEnabled: true,
            nudgeEnabled: true,
            persona: nil,
            createdAt: Date(),
            updatedAt: Date()
        )
        agent.session = session
        return agent
    }

    @Test func everyStateHasItsPhrase() {
        #expect(AgentState.describe(self.agent(nil)) == "never started")
        let live = AgentSessionResponse(id: "s", kind: "managed", startedAt: Date(), online: false, runnerAlive: true)
        #expect(AgentState.describe(self.agent(live)) == "running")
        var online = live
        online.online = true
        #expect(AgentState.describe(self.agent(online)) == "online")
        var waiting = online
        waiting.attention = "Do you trust this folder?"
        #expect(AgentState.describe(self.agent(waiting)) == "waiting for you")
        var exited = live
        exited.endedAt = Date()
        exited.exitCode = 2
        #expect(AgentState.describe(self.agent(exited)) == "exited with code 2")
        exited.exitCode = nil
        exited.exitSignal = 9
        #expect(AgentState.describe(self.agent(exited)) == "ended by signal 9")
    }
}

/// `agent add|set --nudge on|off` and the `nudge:` line of `agent show`.
@Suite struct NudgeSwitchCommandTests {
    func agent(_ runtime: RuntimeValue, push: Bool = true, nudge: Bool = true) -> AgentResponse {
        AgentResponse(
            id: "a",
            address: "api:a",
            repo: "api",
            name: "a",
            runtime: runtime,
            command: nil,
            args: [],
            roles: ["engineer"],
            isMain: false,
            pushEnabled: push,
            nudgeEnabled: nudge,
            persona: nil,
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    @Test func addAndSetTakeTheNudgeSwitchApartFromPush() throws {
        let add = try #require(try WhatsAgent.parseAsRoot(["agent", "add", "api:a", "--runtime", "codex", "--nudge", "off"]) as? AgentCommand.Add)
        #expect(add.nudge == .off)
        let plain = try #require(try WhatsAgent.parseAsRoot(["agent", "add", "api:a"]) as? AgentCommand.Add)
        #expect(plain.nudge == nil)
        let set = try #require(try WhatsAgent.parseAsRoot(["agent", "set", "api:a", "--nudge", "on"]) as? AgentCommand.Set)
        #expect(set.nudge == .on && set.push == nil)
        let both = try #require(try WhatsAgent.parseAsRoot(["agent", "set", "api:a", "--push", "on", "--nudge", "off"]) as? AgentCommand.Set)
        #expect(both.push == .on && both.nudge == .off)
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["agent", "set", "api:a", "--nudge", "maybe"]) }
    }

    @Test func showSaysWhatMailDoesToTheTerminal() {
        #expect(AgentCommand.describeNudge(self.agent(.codex)) == "on")
        #expect(AgentCommand.describeNudge(self.agent(.custom, nudge: false)).hasPrefix("off (mail only flags a pending nudge"))
        #expect(AgentCommand.describeNudge(self.agent(.codex, push: false)) == "on (pushes are off: nothing is typed)")
        #expect(AgentCommand.describeNudge(self.agent(.claude, nudge: false)) == "off (not used: claude receives pushes without typing)")
    }
}
