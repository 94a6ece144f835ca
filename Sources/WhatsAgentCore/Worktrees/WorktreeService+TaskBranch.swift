import Foundation

/// The diff of a board task's branch (issue 23): found in the worktree of an agent of the workspace that is on that
/// branch. Git runs only there (read-only calls: status and diff), never in a folder a request names.
public struct TaskBranchDiff: Sendable, Equatable {
    /// The agent whose worktree is on the branch.
    public var agent: AgentAddress
    /// The worktree's status (its repo's branch, ahead/behind, uncommitted changes).
    public var status: WorktreeStatus
    /// The work since the branch left the repo's branch: committed and uncommitted changes, new files by name.
    public var diff: WorktreeDiff
}

extension WorktreeService {
    /// The diff of `branch` against its repo's current branch, from the worktree of the agent on it — `preferring` the
    /// task's assignee when several are — with the full text (capped at ``fullDiffLimit``) when `full`.
    /// - Throws: `not_found` when no agent worktree of the workspace is on `branch` (with what to do instead);
    ///   `invalid_state` with git's message when git fails.
    public func taskBranchDiff(
        workspace reference: String?,
        branch: String,
        preferring assignee: AgentID?,
        full: Bool
    ) async throws -> TaskBranchDiff {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let settings = try await database.worktreeSettings()
        let agents = try await database.agents()
            .filter { settings[$0.id] != nil }
            .sorted { ($0.id == assignee ? 0 : 1, $0.address.description) < ($1.id == assignee ? 0 : 1, $1.address.description) }
        for agent in agents {
            guard let setting = settings[agent.id],
                let folder = await self.folder(workspace: workspace.id, repo: agent.repoName, agent: agent.name),
                FileManager.default.fileExists(atPath: folder)
            else { continue }
            let repo = try await database.repo(named: agent.repoName)
            let status = await self.git.status(repo: repo.path, worktree: folder, branch: setting.branch)
            guard status.exists, status.problem == nil, status.branch == branch else { continue }
            let diff = try await self.git.diff(repo: repo.path, worktree: folder, fullLimit: full ? Self.fullDiffLimit : nil)
            return TaskBranchDiff(agent: agent.address, status: status, diff: diff)
        }
        throw DomainError(
            .notFound,
            "no agent worktree of this workspace is on branch \(branch), so there is no diff to show; the diff is read from "
                + "agents' worktrees only — check the task's branch (`whatsagent task edit ID --branch B`) and the agents' "
                + "branches (`whatsagent agent list`), or compare it in the repo yourself with `git diff HEAD...\(branch)`"
        )
    }
}
