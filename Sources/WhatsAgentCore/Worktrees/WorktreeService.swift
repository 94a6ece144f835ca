import Foundation

/// Agents' git worktrees (issue 23): the switch, the folder under the home, preparation at launch, status, diff and
/// removal. Git itself is behind ``WorktreeGit``.
///
/// ```swift
/// try await worktrees.configure(workspace: nil, address, enabled: true, branch: nil)   // default wa/<agent>
/// let cwd = try await worktrees.prepareLaunch(workspace: id, agent: agent, repo: repo)  // nil: switch off
/// ```
public struct WorktreeService: Sendable {
    let workspaces: WorkspaceService
    let git: any WorktreeGit

    /// Largest full diff returned; longer diffs are cut and say so.
    public static let fullDiffLimit = 256 * 1024

    public init(workspaces: WorkspaceService, git: any WorktreeGit) {
        self.workspaces = workspaces
        self.git = git
    }

    /// `<home>/workspaces/<id>/worktrees/<repo>/<agent>` (nil for in-memory storage).
    public func folder(workspace: WorkspaceID, repo: String, agent: String) async -> String? {
        guard let base = await self.workspaces.folder(workspace) else { return nil }
        return "\(base)/worktrees/\(WorktreeBranch.sanitize(repo))/\(WorktreeBranch.sanitize(agent))"
    }

    /// Turns the switch on or off; `branch` replaces the stored branch (default `wa/<agent>`). Turning it on checks
    /// that the repo is a git repository.
    @discardableResult
    public func configure(
        workspace reference: String?,
        _ address: AgentAddress,
        enabled: Bool,
        branch: String?
    ) async throws
        -> WorktreeSetting
    {
        let (_, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        let chosen = try branch.map(WorktreeBranch.validate)
        if enabled {
            try await self.requireRepository(database: database, agent: agent)
        }
        let existing = try await database.worktreeSetting(agent.id)
        let setting = WorktreeSetting(
            enabled: enabled,
            branch: chosen ?? existing?.branch ?? WorktreeBranch.defaultName(forAgent: agent.name)
        )
        try await database.saveWorktreeSetting(setting, agent: agent.id)
        self.workspaces.events.publish(.agentsChanged, in: database)
        return setting
    }

    /// Refuses before an agent is added with the switch on: the repo must be a git repository.
    public func requireRepository(workspace reference: String?, repo name: String) async throws {
        let (_, database) = try await self.workspaces.database(for: reference)
        let repo = try await database.repo(named: name)
        try await self.requireRepository(repo)
    }

    func requireRepository(database: any WorkspaceStore, agent: Agent) async throws {
        try await self.requireRepository(try await database.repo(named: agent.repoName))
    }

    func requireRepository(_ repo: Repo) async throws {
        do {
            try await self.git.requireRepository(repo.path)
        } catch let error as DomainError {
            throw DomainError(
                error.code,
                "repo \(repo.name) (\(repo.path)) cannot have agent worktrees: \(error.message); run `git init` there and commit once, or leave --worktree off"
            )
        }
    }

    public func settings(workspace reference: String?) async throws -> [AgentID: WorktreeSetting] {
        try await self.workspaces.database(for: reference).1.worktreeSettings()
    }

    /// Creates or reuses the agent's worktree and returns the folder the agent starts in; nil when the switch is off.
    public func prepareLaunch(workspace: WorkspaceID, agent: Agent, repo: Repo) async throws -> (directory: String, how: WorktreePreparation)? {
        let (_, database) = try await self.workspaces.database(for: workspace.rawValue)
        guard let setting = try await database.worktreeSetting(agent.id), setting.enabled else { return nil }
        guard let folder = await self.folder(workspace: workspace, repo: repo.name, agent: agent.name) else {
            throw DomainError(.invalidState, "agent worktrees need a daemon home on disk; start the daemon with --home DIR")
        }
        try await self.requireRepository(repo)
        let prefix = try await self.git.prefix(ofRepository: repo.path)
        let how = try await self.git.prepare(repo: repo.path, worktree: folder, branch: setting.branch)
        return (prefix.isEmpty ? folder : "\(folder)/\(prefix)", how)
    }

    /// The agent's worktree status (nil without a setting).
    public func status(workspace: WorkspaceID, agent: Agent) async throws -> WorktreeStatus? {
        let (_, database) = try await self.workspaces.database(for: workspace.rawValue)
        guard let setting = try await database.worktreeSetting(agent.id) else { return nil }
        return try await self.status(workspace: workspace, agent: agent, setting: setting, database: database)
    }

    func status(workspace: WorkspaceID, agent: Agent, setting: WorktreeSetting, database: any WorkspaceStore) async throws -> WorktreeStatus? {
        guard let folder = await self.folder(workspace: workspace, repo: agent.repoName, agent: agent.name) else { return nil }
        let repo = try await database.repo(named: agent.repoName)
        return await self.git.status(repo: repo.path, worktree: folder, branch: setting.branch)
    }

    /// The statuses of every agent that has a worktree setting, by agent.
    public func statuses(workspace reference: String?, agents: [Agent]) async throws -> [AgentID: (WorktreeSetting, WorktreeStatus?)] {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let settings = try await database.worktreeSettings()
        var result: [AgentID: (WorktreeSetting, WorktreeStatus?)] = [:]
        for agent in agents {
            guard let setting = settings[agent.id] else { continue }
            result[agent.id] = (setting, try await self.status(workspace: workspace.id, agent: agent, setting: setting, database: database))
        }
        return result
    }

    /// The diff summary of the agent's work, and the full diff (capped at ``fullDiffLimit``) when `full`.
    public func diff(workspace reference: String?, _ address: AgentAddress, full: Bool) async throws -> WorktreeDiff {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        let (repo, folder) = try await self.existingWorktree(workspace: workspace.id, database: database, agent: agent)
        return try await self.git.diff(repo: repo.path, worktree: folder, fullLimit: full ? Self.fullDiffLimit : nil)
    }

    /// Removes the agent's worktree folder (never its branch). Refuses while the agent has a live session, and
    /// while the worktree has uncommitted changes unless `force`.
    public func remove(workspace reference: String?, _ address: AgentAddress, force: Bool) async throws -> WorktreeStatus {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        let live = try await database.liveSessions(of: agent.id)
        guard live.isEmpty else {
            throw DomainError(
                .liveSessions,
                "\(address) is running (session \(live[0].id)); stop it first with `whatsagent agent stop \(address)`, then remove its worktree"
            )
        }
        let (repo, folder) = try await self.existingWorktree(workspace: workspace.id, database: database, agent: agent)
        let setting = try await database.worktreeSetting(agent.id)
        let status = await self.git.status(repo: repo.path, worktree: folder, branch: setting?.branch ?? "")
        try self.refuseUncommitted(status, address: address, force: force, command: "whatsagent agent worktree \(address) remove --force")
        try await self.git.remove(repo: repo.path, worktree: folder, force: force)
        self.workspaces.events.publish(.agentsChanged, in: database)
        return status
    }

    /// Before `agent remove`: refuses while the agent's worktree has uncommitted changes unless `force`. Returns what
    /// ``removeAfterAgent(_:)`` needs to remove the worktree once the agent is gone (nil: no worktree folder).
    public func checkAgentRemoval(workspace reference: String?, _ address: AgentAddress, force: Bool) async throws -> PendingWorktreeRemoval? {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        guard let setting = try await database.worktreeSetting(agent.id),
            let folder = await self.folder(workspace: workspace.id, repo: agent.repoName, agent: agent.name),
            FileManager.default.fileExists(atPath: folder)
        else { return nil }
        let repo = try await database.repo(named: agent.repoName)
        let status = await self.git.status(repo: repo.path, worktree: folder, branch: setting.branch)
        try self.refuseUncommitted(status, address: address, force: force, command: "whatsagent agent remove \(address) --force")
        return PendingWorktreeRemoval(repo: repo.path, folder: folder, branch: setting.branch)
    }

    /// Removes the worktree of an agent that was removed (forced: its changes were accepted as lost).
    public func removeAfterAgent(_ pending: PendingWorktreeRemoval) async throws {
        try await self.git.remove(repo: pending.repo, worktree: pending.folder, force: true)
    }

    private func refuseUncommitted(_ status: WorktreeStatus, address: AgentAddress, force: Bool, command: String) throws {
        guard !force, let changes = status.changes, changes > 0 else { return }
        throw DomainError(
            .invalidState,
            "the worktree of \(address) (\(status.path), branch \(status.branch)) has \(changes) uncommitted change\(changes == 1 ? "" : "s"); commit them there, or run `\(command)` to discard them (the branch is kept)"
        )
    }

    private func existingWorktree(workspace: WorkspaceID, database: any WorkspaceStore, agent: Agent) async throws -> (Repo, String) {
        guard try await database.worktreeSetting(agent.id) != nil,
            let folder = await self.folder(workspace: workspace, repo: agent.repoName, agent: agent.name),
            FileManager.default.fileExists(atPath: folder)
        else {
            throw DomainError(
                .notFound,
                "\(agent.address) has no worktree; turn it on with `whatsagent agent set \(agent.address) --worktree on` and launch the agent"
            )
        }
        return (try await database.repo(named: agent.repoName), folder)
    }
}

/// A worktree to remove after its agent was removed.
public struct PendingWorktreeRemoval: Sendable {
    public var repo: String
    public var folder: String
    public var branch: String
}
