import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension MessageCommand {
    /// `whatsagent msg broadcast BODY`: one message from human-web to every agent.
    struct Broadcast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "broadcast",
            abstract: "Send one message to every agent of the workspace (not in channel topology: post in #shared there)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Message text.") var body: String

        func run() async throws {
            let result = try await self.global.client.broadcast(workspace: self.scope.workspace, BroadcastRequest(body: self.body))
            if self.global.json { return try Output.json(result) }
            let count = result.messages.count
            print(
                "broadcast to \(count) agent\(count == 1 ? "" : "s") (\(result.online) online now; the others get it when they connect)"
            )
        }
    }
}
