import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentTerminal

extension AgentCommand {
    /// `whatsagent agent attach`: this terminal becomes the agent's terminal until Ctrl-].
    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach",
            abstract: "Connect this terminal to a managed agent's terminal; detach with Ctrl-] (the agent keeps running).",
            discussion: """
                The recent output is shown first, then live output; keystrokes go to the agent and window size changes follow \
                this terminal. With stdin a pipe, its bytes are sent and the command detaches once the output has been quiet \
                for a second after the input ended (or the agent exits).
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            let access = try await self.global.client.terminalAccess(workspace: self.scope.workspace, self.address)
            let connection: RunnerConnection
            do {
                connection = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            } catch {
                throw CLIFailure(code: "attach_failed", message: "cannot attach to \(access.agent): \(error)", exit: .failed)
            }
            let interactive = isatty(0) == 1
            if interactive { Self.note("attached to \(access.agent) — detach with Ctrl-]") }
            let outcome = await TerminalAttachment(connection: connection).run()
            switch outcome {
            case .detached:
                if interactive { Self.note("detached from \(access.agent); it keeps running") }
            case .exited(let status):
                Self.note("\(access.agent) \(status)")
            case .connectionLost:
                throw CLIFailure(code: "attach_lost", message: "the terminal of \(access.agent) went away (its runner stopped)", exit: .failed)
            }
        }

        static func note(_ text: String) {
            FileHandle.standardError.write(Data("\r\n[\(text)]\r\n".utf8))
        }
    }
}
