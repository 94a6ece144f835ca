import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent msg …`: messages as human-web.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msg",
        abstract: "Send direct messages as human-web.",
        subcommands: [Send.self, Inbox.self, Thread.self, Holds.self, Release.self, Broadcast.self, Search.self]
    )

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a direct message to an agent (repo:name).")
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

extension MessageCommand {
    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inbox",
            abstract: "Show the newest messages to and from human-web (marks them read)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Option(help: "Most messages (1–500).") var limit = 50

        func run() async throws {
            let list = try await self.global.client.humanMessages(workspace: self.scope.workspace, peer: nil, limit: self.limit, broadcasts: true)
            try Self.print(list, json: self.global.json)
        }

        static func print(_ list: MessageList, json: Bool) throws {
            if json { return try Output.json(list) }
            guard !list.messages.isEmpty else { return Swift.print("no messages") }
            for message in list.messages {
                let state = message.state == "rejected" ? " [rejected: \(message.rejection ?? "")]" : ""
                let to = message.kind == "broadcast" ? "everyone (broadcast)" : message.to
                Swift.print("[\(message.id)] \(message.from) → \(to), \(TimeText.relative(message.sentAt))\(state):")
                if let line = MessageStateText.line(message) { Swift.print(line) }
                Swift.print(Terminal.safe(message.body) + "\n")
            }
        }
    }

    struct Thread: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "thread", abstract: "Show the conversation between human-web and one agent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "The agent (repo:name).") var peer: String
        @Option(help: "Most messages (1–500).") var limit = 50

        func run() async throws {
            let list = try await self.global.client.humanMessages(
                workspace: self.scope.workspace,
                peer: self.peer,
                limit: self.limit,
                broadcasts: true
            )
            try Inbox.print(list, json: self.global.json)
        }
    }
}
