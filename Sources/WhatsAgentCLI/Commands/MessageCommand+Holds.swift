import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent msg holds` and `msg release A B`: the loop guard's held pairs (SPEC §7.5).
extension MessageCommand {
    struct Holds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "holds",
            abstract: "List the pairs of agents held by the loop guard, with their held messages."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.messageHolds(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            guard !list.holds.isEmpty else { return print("no held conversations") }
            for hold in list.holds {
                let (first, second) = (hold.agents.first ?? "", hold.agents.last ?? "")
                print(
                    "\(first) ↔ \(second): held since \(TimeText.relative(hold.heldAt)), \(hold.messages.count) held message"
                        + (hold.messages.count == 1 ? "" : "s") + " — release with `whatsagent msg release \(first) \(second)`"
                )
                for message in hold.messages {
                    print("  [\(message.id)] \(message.from) → \(message.to), \(TimeText.relative(message.sentAt)) [held]:")
                    print("  " + Terminal.safe(message.body).replacingOccurrences(of: "\n", with: "\n  "))
                }
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release a pair held by the loop guard: its held messages are delivered in order and the count restarts."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "One agent of the pair (repo:name).") var first: String
        @Argument(help: "The other agent (repo:name).") var second: String

        func run() async throws {
            let result = try await self.global.client.releaseHold(workspace: self.scope.workspace, self.first, self.second)
            if self.global.json { return try Output.json(result) }
            let agents = result.hold.agents.joined(separator: " and ")
            print("released \(agents): \(result.released) held message\(result.released == 1 ? "" : "s") queued for delivery")
        }
    }
}
