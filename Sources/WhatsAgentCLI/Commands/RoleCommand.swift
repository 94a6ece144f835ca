import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent role …`: roles and grants (SPEC §10).
struct RoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "List, create, delete roles and edit their grants.",
        discussion: """
            Grant kinds: tool_family (messaging, channel-read, channel-write, summary, kanban-read, kanban-comment, \
            kanban-status, kanban-admin), kanban_action (with --scope own_assignment|created_by_self), comment_type, \
            channel_action (post_channel_message, …, broadcast_message, create_channel), audit_grant, meta.
            """,
        subcommands: [List.self, Show.self, Add.self, Remove.self, Grant.self, Revoke.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List roles.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.roles(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            Output.table(
                ["ROLE", "BUILT-IN", "GRANTS", "DESCRIPTION"],
                list.roles.map { [$0.name, $0.isBuiltin ? "yes" : "", String($0.grants.count), $0.description] }
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a role's grants.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Role name.") var role: String

        func run() async throws {
            let role = try await self.global.client.role(workspace: self.scope.workspace, self.role)
            if self.global.json { return try Output.json(role) }
            print("\(role.name)\(role.isBuiltin ? " (built-in)" : ""): \(role.description)")
            for grant in role.grants { print("  \(grant.kind) \(grant.value)" + (grant.scope.map { " @\($0)" } ?? "")) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a custom role (without grants).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Role name: lower-case letters, digits, '_' and '-'.") var role: String
        @Option(help: "What the role is for.") var description: String?

        func run() async throws {
            let role = try await self.global.client.createRole(
                workspace: self.scope.workspace,
                CreateRoleRequest(name: self.role, description: self.description)
            )
            if self.global.json { return try Output.json(role) }
            print("created role \(role.name); add grants with `whatsagent role grant \(role.name) KIND VALUE`")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a custom role that no agent holds.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Role name.") var role: String

        func run() async throws {
            let result = try await self.global.client.deleteRole(workspace: self.scope.workspace, self.role)
            if self.global.json { return try Output.json(result) }
            print("deleted role \(result.removed)")
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "grant", abstract: "Add a grant to a role.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Role name.") var role: String
        @Argument(help: "Grant kind.") var kind: String
        @Argument(help: "Grant value.") var value: String
        @Option(name: .customLong("scope"), help: "any, own_assignment or created_by_self (kanban actions).") var grantScope: String?

        func run() async throws {
            let role = try await self.global.client.grant(
                workspace: self.scope.workspace,
                role: self.role,
                GrantValue(kind: self.kind, value: self.value, scope: self.grantScope)
            )
            if self.global.json { return try Output.json(role) }
            print("\(role.name) now has \(role.grants.count) grants")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Remove a grant from a role.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Role name.") var role: String
        @Argument(help: "Grant kind.") var kind: String
        @Argument(help: "Grant value.") var value: String
        @Option(name: .customLong("scope"), help: "any, own_assignment or created_by_self.") var grantScope: String?

        func run() async throws {
            let role = try await self.global.client.revoke(
                workspace: self.scope.workspace,
                role: self.role,
                GrantValue(kind: self.kind, value: self.value, scope: self.grantScope)
            )
            if self.global.json { return try Output.json(role) }
            print("\(role.name) now has \(role.grants.count) grants")
        }
    }
}

/// `whatsagent audit …`: the audit log of RBAC decisions.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and export the audit log of RBAC decisions.",
        subcommands: [List.self, Export.self]
    )

    struct Filters: ParsableArguments {
        @Option(help: "Only this kind (grant_check_pass, grant_miss_soft, grant_miss_hard).") var kind: String?
        @Option(help: "Only this agent (repo:name).") var agent: String?
        @Option(help: "Only entries since this RFC 3339 time.") var since: String?

        func query(limit: Int?) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~:")
            let pairs = [("kind", self.kind), ("agent", self.agent), ("since", self.since), ("limit", limit.map(String.init))]
            return pairs.compactMap { name, value in
                value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
            }.joined(separator: "&")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show audit entries, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @OptionGroup var filters: Filters
        @Option(help: "Most entries (1–500).") var limit = 50

        func run() async throws {
            let list = try await self.global.client.audit(workspace: self.scope.workspace, query: self.filters.query(limit: self.limit))
            if self.global.json { return try Output.json(list) }
            Output.table(
                ["AT", "KIND", "AGENT", "TOOL", "GRANT"],
                list.entries.map { [TimeText.relative($0.at), $0.kind, $0.actor, $0.tool ?? "", $0.expectedGrant ?? ""] }
            )
            if list.total > list.entries.count { print("(\(list.entries.count) of \(list.total); raise --limit for more)") }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the audit log as CSV.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @OptionGroup var filters: Filters
        @Option(help: "Write to this file instead of stdout.") var output: String?

        func run() async throws {
            let csv = try await self.global.client.auditCSV(workspace: self.scope.workspace, query: self.filters.query(limit: nil))
            if let output = self.output {
                try csv.write(to: URL(fileURLWithPath: output))
                print("wrote \(output)")
            } else {
                FileHandle.standardOutput.write(csv)
            }
        }
    }
}
