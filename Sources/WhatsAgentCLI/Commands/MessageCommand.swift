import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent msg …`: messages as human-web.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msg",
        abstract: "Send direct messages as human-web.",
        subcommands: [Send.self]
    )

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a direct message to an agent (repo:name).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Recipient: repo:name.") var to: String
        @Argument(help: "Message text.") var body: String

        func run() async throws {
            let result = try await self.global.client.sendMessage(workspace: self.scope.workspace, SendMessageRequest(to: self.to, body: self.body))
            if self.global.json { return try Output.json(result) }
            let status = result.recipientOnline ? "pushed to the agent now" : "waiting in its mailbox (the agent is not connected)"
            print("sent message \(result.message.id) to \(result.message.to): \(status)")
        }
    }
}
