import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension AgentCommand {
    /// `whatsagent agent launch`: starts the agent in a managed session (SPEC §6.1).
    struct Launch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "launch",
            abstract: "Start an agent in a managed session (its terminal lives in a runner that survives daemon restarts).",
            discussion: """
                The command is the agent's --command, else `whatsagent runtime set`'s, else the runtime's name; it runs in the \
                repo directory in a 120x32 terminal with the session's WHATSAGENT_* variables. If the agent already runs, its \
                session is shown instead. Watch it with `whatsagent agent attach REPO:NAME` (detach with Ctrl-]).
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            let result = try await self.global.client.launch(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(result) }
            if result.alreadyRunning {
                print("\(result.agent) is already running (session \(result.session.id)); attach with `whatsagent agent attach \(result.agent)`")
            } else {
                let pid = result.session.childPid.map { ", pid \($0)" } ?? ""
                print("launched \(result.agent) (session \(result.session.id)\(pid)); attach with `whatsagent agent attach \(result.agent)`")
            }
        }
    }

    /// `whatsagent agent stop`: ends the agent's managed session.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop a managed agent: SIGTERM to its process group, SIGHUP after 2 s, SIGKILL at 5 s."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            if !self.global.json {
                // Written at once (not buffered): the human sees it while the stop waits.
                let line = "stopping \(self.address): SIGTERM, then SIGHUP after 2 s and SIGKILL at 5 s if it is still running; waiting…\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            let result = try await self.global.client.stopAgent(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(result) }
            print("stopped \(result.agent) (session \(result.session.id)): \(Terminal.safe(result.session.endReason ?? "ended"))")
        }
    }

    /// The session lines of `agent show`.
    static func describe(_ session: AgentSessionResponse) -> [String] {
        var lines: [String] = []
        if session.endedAt == nil {
            let state = session.online ? "online" : AgentState.offlineReason(session)
            lines.append("session:  \(session.kind) \(session.id) (\(state))")
            if let pid = session.childPid { lines.append("pid:      \(pid)" + (session.runnerPid.map { " (runner \($0))" } ?? "")) }
            if let attention = session.attention { lines.append("attention: \(Terminal.safe(attention)) — answer it with `whatsagent agent attach`") }
            if session.pendingNudge { lines.append("pending:  mail is waiting and its nudge was not typed yet (insert it from the terminal view)") }
        } else {
            lines.append("session:  \(session.kind) \(session.id) ended: \(Terminal.safe(session.endReason ?? "ended"))")
            if let code = session.exitCode { lines.append("exit:     code \(code)") }
            if let signal = session.exitSignal { lines.append("exit:     signal \(signal)") }
            if let tail = session.exitTail, !tail.isEmpty {
                let last = tail.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
                lines.append("last output:\n\(Terminal.safe(last))")
            }
        }
        return lines
    }
}
