import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent repo …`.
struct RepoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Register directories in a workspace.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register an existing directory (absolute path).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Absolute path of an existing directory.") var path: String
        @Option(help: "Short name (default: the folder name).") var name: String?

        func run() async throws {
            let repo = try await self.global.client.addRepo(workspace: self.scope.workspace, CreateRepoRequest(path: self.path, name: self.name))
            if self.global.json { return try Output.json(repo) }
            print("added repo \(repo.name) → \(repo.path)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the workspace's repos.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.repos(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            guard !list.repos.isEmpty else { return print("no repos yet; add one with `whatsagent repo add /absolute/path`") }
            Output.table(["NAME", "PATH", ""], list.repos.map { [$0.name, $0.path, $0.exists ? "" : "(missing)"] })
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a repo and its agents.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Repo name.") var name: String
        @Flag(help: "Stop live sessions of its agents first instead of refusing.") var force = false

        func run() async throws {
            let result = try await self.global.client.removeRepo(workspace: self.scope.workspace, name: self.name, force: self.force)
            if self.global.json { return try Output.json(result) }
            print("removed repo \(result.removed)" + AgentCommand.stoppedSuffix(result))
        }
    }
}
