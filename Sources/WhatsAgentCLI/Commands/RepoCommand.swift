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
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register existing directories (relative paths are taken from the current folder).",
            discussion: """
                whatsagent repo add .                      # the current folder
                whatsagent repo add ../api ../web          # several at once
                whatsagent repo add --scan ~/src           # every git repository under ~/src (3 levels down)
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Directories to register (absolute, or relative to the current folder).") var paths: [String] = []
        @Option(help: "Short name (default: the folder name); only with a single path.") var name: String?
        @Option(help: "Register every git repository under this folder (already registered ones are skipped).") var scan: String?
        @Option(help: "How many levels below --scan's folder to look (default \(RepoScan.defaultDepth)).") var depth: Int?

        func validate() throws {
            if self.paths.isEmpty && self.scan == nil {
                throw ValidationError("name a directory (`repo add PATH`) or a folder to scan (`--scan DIR`)")
            }
            if self.name != nil && (self.paths.count != 1 || self.scan != nil) {
                throw ValidationError("--name needs exactly one PATH and no --scan")
            }
            if self.depth != nil && self.scan == nil { throw ValidationError("--depth needs --scan") }
            if let depth = self.depth, depth < 0 || depth > 20 { throw ValidationError("--depth must be between 0 and 20") }
        }

        func run() async throws {
            let client = self.global.client
            if self.paths.count == 1 && self.scan == nil {
                let request = CreateRepoRequest(path: RepoScan.absolute(self.paths[0]), name: self.name)
                let repo = try await client.addRepo(workspace: self.scope.workspace, request)
                if self.global.json { return try Output.json(repo) }
                return print("added repo \(repo.name) → \(repo.path)")
            }
            var candidates = self.paths.map { RepoScan.absolute($0) }
            var scanned = 0
            if let scan = self.scan {
                let root = RepoScan.absolute(scan)
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
                    throw CLIFailure(code: "not_found", message: "\(root) is not a folder; pass an existing folder to --scan", exit: .failed)
                }
                let found = RepoScan.repositories(under: root, depth: self.depth ?? RepoScan.defaultDepth)
                scanned = found.count
                candidates += found
            }
            let registered = Swift.Set(try await client.repos(workspace: self.scope.workspace).repos.map(\.path))
            var added: [RepoResponse] = []
            var skipped: [String] = []
            var failed = 0
            var seen = Swift.Set<String>()
            for path in candidates where seen.insert(path).inserted {
                if registered.contains(path) {
                    skipped.append(path)
                    continue
                }
                do {
                    let repo = try await client.addRepo(workspace: self.scope.workspace, CreateRepoRequest(path: path, name: nil))
                    added.append(repo)
                    if !self.global.json { print("added repo \(repo.name) → \(repo.path)") }
                } catch {
                    guard let failure = CLIFailure.classify(error), failure.exit == .failed else { throw error }
                    failed += 1
                    FileHandle.standardError.write(Data("error: \(path): \(failure.message)\n".utf8))
                }
            }
            if self.global.json {
                try Output.json(RepoList(repos: added))
            } else {
                for path in skipped { print("skipped \(path): already registered") }
                let found = self.scan.map { _ in "found \(scanned) git \(scanned == 1 ? "repository" : "repositories"); " } ?? ""
                print("\(found)added \(added.count), skipped \(skipped.count) already registered, \(failed) failed")
            }
            if failed > 0 { throw ExitCode(CLIFailure.Exit.failed.rawValue) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the workspace's repos.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.repos(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            guard !list.repos.isEmpty else {
                return print("no repos yet; add one with `whatsagent repo add PATH` or `whatsagent repo add --scan DIR`")
            }
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
