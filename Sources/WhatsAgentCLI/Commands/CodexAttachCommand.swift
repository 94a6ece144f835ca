import ArgumentParser
import Foundation
import WhatsAgentRuntimes

extension WhatsAgent {
    /// `whatsagent codex-attach PLAN` (internal, hidden): the PTY command of a managed Codex — its app-server, then
    /// the TUI attached to it, or plain `codex` when the app-server does not come up (docs/codex-app-server.md).
    struct CodexAttachCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "codex-attach",
            abstract: "Start a managed Codex behind its app-server (internal; the daemon's PTY command).",
            shouldDisplay: false
        )

        @Argument(help: "The 0600 launch plan the daemon wrote (<run>/<stem>.codex.json).")
        var plan: String

        func run() throws {
            throw ExitCode(CodexAttach.run(planPath: self.plan))
        }
    }
}
