import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension ChannelCommand {
    /// `whatsagent channel members NAME`.
    struct Members: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "members", abstract: "List the agents in a channel (every agent is in #shared).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Channel name.") var name: String

        func run() async throws {
            let list = try await self.global.client.channelMembers(workspace: self.scope.workspace, channel: self.name)
            if self.global.json { return try Output.json(list) }
            guard !list.members.isEmpty else { return print("#\(list.channel) has no members") }
            Output.table(
                ["AGENT", "PRESENCE"],
                list.members.map { [$0.agent + ($0.isMain ? " (main)" : ""), $0.online ? "online" : "offline"] }
            )
        }
    }
}
