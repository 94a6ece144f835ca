import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

/// `whatsagent workspace …`.
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Create, select, change, trash, restore and purge workspaces.",
        subcommands: [Add.self, List.self, Use.self, Set.self, Trash.self, Restore.self, Purge.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a workspace.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unique name (letters, digits, '_', '-', '.').") var name: String
        @Option(help: "star (default), p2p or channel.") var topology: TopologyValue?
        @Option(name: .customLong("rbac-mode"), help: "enforce (default), soft or off.") var rbacMode: RBACModeValue?
        @Option(name: .customLong("kanban-prefix"), help: "Task id prefix (default WA).") var kanbanPrefix: String?
        @Option(name: .customLong("epic-prefix"), help: "Epic id prefix (default EP).") var epicPrefix: String?
        @Option(name: .customLong("rate-limit"), help: "Messages per minute per sender, or off (default 120).") var rateLimit: String?
        @Option(name: .customLong("loop-guard"), help: "Messages between two agents before a hold, or off.") var loopGuard: String?

        func run() async throws {
            let request = CreateWorkspaceRequest(
                name: self.name,
                topology: self.topology,
                rbacMode: self.rbacMode,
                kanbanPrefix: self.kanbanPrefix,
                epicPrefix: self.epicPrefix,
                rateLimit: try self.rateLimit.map { try LimitArgument.parse($0, name: "--rate-limit", range: 1...100_000) },
                loopGuard: try self.loopGuard.map { try LimitArgument.parse($0, name: "--loop-guard", range: 2...100_000) }
            )
            let workspace = try await self.global.client.createWorkspace(request)
            if self.global.json { return try Output.json(workspace) }
            print("created workspace \(workspace.name) (\(workspace.id))\(workspace.isCurrent ? ", now current" : "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List workspaces, trashed ones included.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let list = try await self.global.client.workspaces()
            if self.global.json { return try Output.json(list) }
            guard !list.workspaces.isEmpty else {
                return print("no workspaces yet; create one with `whatsagent workspace add NAME`")
            }
            Output.table(
                ["", "NAME", "ID", "STATUS", "TOPOLOGY", "RBAC", "REPOS", "AGENTS", "SESSIONS"],
                list.workspaces.map { workspace in
                    [
                        workspace.isCurrent ? "*" : "", workspace.name, workspace.id,
                        workspace.status == "trashed"
                            ? "trashed" + (workspace.purgeAfter.map { " (purge " + WireDate.format($0).prefix(10) + ")" } ?? "") : workspace.status,
                        workspace.topology.rawValue, workspace.rbacMode.rawValue,
                        String(workspace.repoCount), String(workspace.agentCount), String(workspace.liveSessionCount),
                    ]
                }
            )
        }
    }

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use", abstract: "Make a workspace the default of --workspace.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Workspace name or id.") var workspace: String

        func run() async throws {
            let workspace = try await self.global.client.useWorkspace(self.workspace)
            if self.global.json { return try Output.json(workspace) }
            print("current workspace: \(workspace.name) (\(workspace.id))")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a workspace's name or settings.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Workspace name or id.") var workspace: String
        @Option(help: "New name.") var name: String?
        @Option(help: "star, p2p or channel.") var topology: TopologyValue?
        @Option(name: .customLong("rbac-mode"), help: "enforce, soft or off.") var rbacMode: RBACModeValue?
        @Option(name: .customLong("kanban-prefix"), help: "Task id prefix for new tasks.") var kanbanPrefix: String?
        @Option(name: .customLong("epic-prefix"), help: "Epic id prefix for new epics.") var epicPrefix: String?
        @Option(name: .customLong("max-body"), help: "Longest message body in characters (1–32000).") var maxBody: Int?
        @Option(name: .customLong("chat-retention"), help: "Days of chat history to keep, or forever.") var chatRetention: String?
        @Option(name: .customLong("rate-limit"), help: "Messages per minute per sender, or off.") var rateLimit: String?
        @Option(name: .customLong("loop-guard"), help: "Messages between two agents before a hold, or off.") var loopGuard: String?
        @Option(name: .customLong("colleague-protocol-file"), help: "File with the workspace's own colleague protocol (Markdown).")
        var colleagueProtocolFile: String?
        @Option(name: .customLong("colleague-protocol"), help: "'default': go back to the built-in colleague protocol.")
        var colleagueProtocol: String?

        func validate() throws {
            if let value = self.colleagueProtocol, value != "default" {
                throw ValidationError(
                    "--colleague-protocol takes only 'default' (got '\(value)'); give your own text with --colleague-protocol-file FILE"
                )
            }
            if self.colleagueProtocol != nil, self.colleagueProtocolFile != nil {
                throw ValidationError("pass either --colleague-protocol default or --colleague-protocol-file FILE, not both")
            }
        }

        func run() async throws {
            let request = UpdateWorkspaceRequest(
                name: self.name,
                topology: self.topology,
                rbacMode: self.rbacMode,
                kanbanPrefix: self.kanbanPrefix,
                epicPrefix: self.epicPrefix,
                maxBodyChars: self.maxBody,
                chatRetention: try self.chatRetention.map { try LimitArgument.retention($0) },
                rateLimit: try self.rateLimit.map { try LimitArgument.parse($0, name: "--rate-limit", range: 1...100_000) },
                loopGuard: try self.loopGuard.map { try LimitArgument.parse($0, name: "--loop-guard", range: 2...100_000) }
            )
            let changesProtocol = self.colleagueProtocol != nil || self.colleagueProtocolFile != nil
            guard request != UpdateWorkspaceRequest() || changesProtocol else {
                throw ValidationError("nothing to change; pass at least one option such as --name or --topology")
            }
            // The protocol goes first: its text is the likeliest to be refused, and a rename would change the reference.
            let protocolResult = changesProtocol ? try await self.setColleagueProtocol() : nil
            guard request != UpdateWorkspaceRequest() else {
                guard let protocolResult else { return }
                if self.global.json { return try Output.json(protocolResult) }
                print(
                    protocolResult.isDefault
                        ? "workspace \(self.workspace) uses the built-in colleague protocol"
                        : "workspace \(self.workspace) uses its own colleague protocol (\(protocolResult.text.count) characters)"
                )
                return
            }
            let workspace = try await self.global.client.updateWorkspace(self.workspace, request)
            if self.global.json { return try Output.json(workspace) }
            print("updated workspace \(workspace.name) (\(workspace.id))")
        }

        /// `PUT` the file's text, or `DELETE` for `--colleague-protocol default`.
        private func setColleagueProtocol() async throws -> WorkspaceColleagueProtocol {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let segment = self.workspace.addingPercentEncoding(withAllowedCharacters: allowed) ?? self.workspace
            let path = "/api/v1/workspaces/\(segment)/colleague-protocol"
            guard let file = self.colleagueProtocolFile else {
                return try await self.global.client.request("DELETE", path)
            }
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read --colleague-protocol-file \(file): it must be a readable UTF-8 text file")
            }
            return try await self.global.client.request("PUT", path, body: SetColleagueProtocolRequest(text: text))
        }
    }

    struct Trash: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trash", abstract: "Move a workspace to the trash (restore or purge it by id).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Workspace name or id.") var workspace: String
        @Flag(help: "Stop live sessions first instead of refusing.") var force = false

        func run() async throws {
            let workspace = try await self.global.client.trashWorkspace(self.workspace, force: self.force)
            if self.global.json { return try Output.json(workspace) }
            print("trashed workspace \(workspace.name); restore it with `whatsagent workspace restore \(workspace.id)`")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", abstract: "Bring a trashed workspace back.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trashed workspace's id (see `workspace list`).") var id: String

        func run() async throws {
            let workspace = try await self.global.client.restoreWorkspace(self.id)
            if self.global.json { return try Output.json(workspace) }
            print("restored workspace \(workspace.name) (\(workspace.id))")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "purge", abstract: "Delete a trashed workspace for good.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trashed workspace's id (see `workspace list`).") var id: String

        func run() async throws {
            let workspace = try await self.global.client.purgeWorkspace(self.id)
            if self.global.json { return try Output.json(workspace) }
            print("purged workspace \(workspace.name) (\(workspace.id))")
        }
    }
}

/// Parses `N|off` and `DAYS|forever` options with the same rules the daemon applies.
enum LimitArgument {
    static func parse(_ text: String, name: String, range: ClosedRange<Int>) throws -> LimitValue {
        do {
            switch try Limit(parsing: text, name: name, range: range) {
            case .off: return .off
            case .value(let number): return .value(number)
            }
        } catch let error as DomainError {
            throw ValidationError(error.message)
        }
    }

    static func retention(_ text: String) throws -> RetentionValue {
        do {
            switch try Retention(parsing: text, name: "--chat-retention") {
            case .forever: return .forever
            case .days(let days): return .days(days)
            }
        } catch let error as DomainError {
            throw ValidationError(error.message)
        }
    }
}
