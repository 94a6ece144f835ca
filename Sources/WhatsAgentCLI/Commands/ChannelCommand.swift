import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent channel …`: channels as human-web.
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Read and post in channels as human-web (channel topology).",
        subcommands: [List.self, Create.self, Post.self, Reply.self, Read.self, Members.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the channels.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.channels(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            Output.table(["CHANNEL", "POSTS", "CREATED BY"], list.channels.map { ["#\($0.name)", String($0.posts), $0.createdBy] })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a channel.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Channel name.") var name: String

        func run() async throws {
            let channel = try await self.global.client.createChannel(workspace: self.scope.workspace, name: self.name)
            if self.global.json { return try Output.json(channel) }
            print("created #\(channel.name)")
        }
    }

    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "post", abstract: "Post a new thread in a channel.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Channel name.") var name: String
        @Argument(help: "Message text.") var body: String

        func run() async throws {
            let post = try await self.global.client.post(workspace: self.scope.workspace, channel: self.name, ChannelPostRequest(body: self.body))
            if self.global.json { return try Output.json(post) }
            print("posted \(post.id) in #\(post.channel)")
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reply", abstract: "Reply in the thread of a channel message (id like c12).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Id of a message of the thread.") var messageID: String
        @Argument(help: "Reply text.") var body: String

        func run() async throws {
            // The daemon finds the thread's channel from the message id; the path names #shared only as a carrier.
            let request = ChannelPostRequest(body: self.body, replyTo: self.messageID)
            let post = try await self.global.client.post(workspace: self.scope.workspace, channel: "shared", request)
            if self.global.json { return try Output.json(post) }
            print("replied \(post.id) in #\(post.channel)")
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "read", abstract: "Read a channel's newest posts.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Channel name.") var name: String
        @Option(help: "Only posts after this id.") var since: String?
        @Option(help: "Most posts (1–100).") var limit = 50

        func run() async throws {
            let list = try await self.global.client.readChannel(
                workspace: self.scope.workspace,
                channel: self.name,
                sinceID: self.since,
                limit: self.limit
            )
            if self.global.json { return try Output.json(list) }
            for post in list.posts {
                let thread = post.rootId.map { " ↳ \($0)" } ?? ""
                print("[\(post.id)\(thread)] \(post.from), \(TimeText.relative(post.sentAt)):\n\(Terminal.safe(post.body))\n")
            }
        }
    }
}
