import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent peer-rule …`: which pairs of agents may exchange direct messages in the p2p topology (SPEC §7.1).
struct PeerRuleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer-rule",
        abstract: "Manage the peer rules of the p2p topology.",
        discussion: """
            deny-list mode (the default): a rule forbids direct messages between its two agents.
            allow-list mode: only pairs with a rule may exchange direct messages.
            The main agent and human-web are never subject to peer rules; rules apply only in the p2p topology.
            """,
        subcommands: [List.self, Mode.self, Add.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the mode and every rule.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.peerRules(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            PeerRuleCommand.printSummary(list)
        }
    }

    struct Mode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mode", abstract: "Choose deny-list or allow-list.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "deny-list or allow-list.") var mode: PeerRuleModeValue

        func run() async throws {
            let list = try await self.global.client.setPeerRuleMode(workspace: self.scope.workspace, self.mode)
            if self.global.json { return try Output.json(list) }
            PeerRuleCommand.printSummary(list)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add the rule for two agents (repo:name each).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "One agent (repo:name).") var first: String
        @Argument(help: "The other agent (repo:name).") var second: String

        func run() async throws {
            let rule = try await self.global.client.addPeerRule(workspace: self.scope.workspace, self.first, self.second)
            if self.global.json { return try Output.json(rule) }
            print("added peer rule \(rule.agents.joined(separator: " ↔ "))")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove the rule for two agents.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "One agent (repo:name).") var first: String
        @Argument(help: "The other agent (repo:name).") var second: String

        func run() async throws {
            let rule = try await self.global.client.removePeerRule(workspace: self.scope.workspace, self.first, self.second)
            if self.global.json { return try Output.json(rule) }
            print("removed peer rule \(rule.agents.joined(separator: " ↔ "))")
        }
    }

    static func printSummary(_ list: PeerRuleList) {
        let meaning =
            list.mode == .denyList ? "a rule forbids direct messages between its pair" : "only pairs with a rule may exchange direct messages"
        print("mode: \(list.mode.rawValue) (\(meaning))" + (list.active ? "" : "; not in effect: the workspace does not use the p2p topology"))
        guard !list.rules.isEmpty else { return print("no rules") }
        Output.table(["AGENT", "AGENT", "SINCE"], list.rules.map { [$0.agents.first ?? "", $0.agents.last ?? "", TimeText.relative($0.createdAt)] })
    }
}

extension PeerRuleModeValue: ExpressibleByArgument {}
