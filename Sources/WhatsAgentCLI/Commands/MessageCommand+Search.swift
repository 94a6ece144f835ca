import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension MessageCommand {
    /// `whatsagent msg search QUERY [--sender S] [--channel C | --channels] [--limit N]`.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Full-text search in the workspace's direct messages, or in channel posts.",
            discussion: """
                QUERY (2–200 characters) is matched as one phrase whose last word may be a prefix; case and accents are \
                ignored. Results come best first. Without --channel or --channels, direct and broadcast messages are \
                searched.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Words to find.") var query: String
        @Option(help: "Only messages from this sender: repo:name or human-web.") var sender: String?
        @Option(help: "Search the posts of this channel.") var channel: String?
        @Flag(help: "Search the posts of every channel.") var channels = false
        @Option(help: "Most results (1–100).") var limit = 20

        func validate() throws {
            if self.channel != nil && self.channels {
                throw ValidationError("pass --channel NAME for one channel or --channels for all of them, not both")
            }
        }

        func run() async throws {
            let client = self.global.client
            if self.channel != nil || self.channels {
                let results = try await client.searchChannels(
                    workspace: self.scope.workspace,
                    query: self.query,
                    channel: self.channel,
                    sender: self.sender,
                    limit: self.limit
                )
                if self.global.json { return try Output.json(results) }
                for hit in results.results {
                    let thread = hit.rootId.map { " ↳ \($0)" } ?? ""
                    print("[\(hit.id)\(thread)] #\(hit.channel) \(hit.from), \(TimeText.relative(hit.sentAt)):\n\(Terminal.safe(hit.preview))\n")
                }
                Self.summary(shown: results.results.count, total: results.total)
            } else {
                let results = try await client.searchMessages(
                    workspace: self.scope.workspace,
                    query: self.query,
                    sender: self.sender,
                    limit: self.limit
                )
                if self.global.json { return try Output.json(results) }
                for hit in results.results {
                    let state = hit.state == "rejected" ? " [rejected]" : ""
                    let kind = hit.kind == "broadcast" ? " (broadcast)" : ""
                    print("[\(hit.id)] \(hit.from) → \(hit.to)\(kind), \(TimeText.relative(hit.sentAt))\(state):\n\(Terminal.safe(hit.preview))\n")
                }
                Self.summary(shown: results.results.count, total: results.total)
            }
        }

        private static func summary(shown: Int, total: Int) {
            if total == 0 { return print("no matches") }
            print(shown < total ? "\(shown) of \(total) matches (raise --limit to see more)" : "\(total) match\(total == 1 ? "" : "es")")
        }
    }
}
