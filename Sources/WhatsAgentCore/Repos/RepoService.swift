import Foundation

/// Registers directories in a workspace.
public struct RepoService: Sendable {
    let workspaces: WorkspaceService
    let now: @Sendable () -> Date

    public init(workspaces: WorkspaceService, now: @escaping @Sendable () -> Date = WallClock.now) {
        self.workspaces = workspaces
        self.now = now
    }

    /// Registers an existing absolute directory. The name defaults to the sanitized folder name.
    public func add(workspace: String?, path: String, name: String?) async throws -> Repo {
        let (_, database) = try await self.workspaces.database(for: workspace)
        let directory = try Self.existingDirectory(path)
        let repoName: String
        if let name {
            repoName = try Names.validateSegment(name, kind: "repo")
        } else {
            guard let derived = Names.sanitizeSegment((directory as NSString).lastPathComponent) else {
                throw DomainError(.invalidName, "cannot derive a repo name from \(directory); pass --name")
            }
            repoName = derived
        }
        let now = self.now()
        let repo = Repo(id: .generate(), name: repoName, path: directory, createdAt: now, updatedAt: now)
        try await database.insertRepo(repo)
        self.workspaces.events.publish(.agentsChanged, in: database)
        return repo
    }

    public func list(workspace: String?) async throws -> [Repo] {
        try await self.workspaces.database(for: workspace).1.repos()
    }

    /// Removes a repo and its agents; refuses while one of them has a live session unless `force`.
    /// Returns the sessions that were stopped.
    @discardableResult
    public func remove(workspace: String?, name: String, force: Bool) async throws -> [LiveSession] {
        let database = try await self.workspaces.database(for: workspace).1
        let ended = try await database.deleteRepo(named: name, force: force, now: self.now())
        self.workspaces.events.publish(.agentsChanged, in: database)
        return ended
    }

    /// The standardized, symlink-resolved form of `path`, which must be an absolute path to a directory.
    static func existingDirectory(_ path: String) throws -> String {
        guard path.hasPrefix("/") else {
            throw DomainError.invalidArgument(
                "repo path '\(path)' is relative; pass an absolute path (for example \"$PWD/\(path)\")"
            )
        }
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw DomainError.invalidArgument("repo path \(path) does not exist; create it or pass an existing directory")
        }
        guard isDirectory.boolValue else {
            throw DomainError.invalidArgument("repo path \(path) is a file, not a directory; pass the repository's folder")
        }
        return resolved
    }
}
