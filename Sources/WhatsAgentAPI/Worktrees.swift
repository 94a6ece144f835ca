import Foundation

/// An agent's git worktree (issue 23): where it is, its branch, how it stands against the repo's HEAD.
public struct AgentWorktreeResponse: Codable, Sendable, Equatable {
    /// The switch: on, the agent starts in this worktree.
    public var enabled: Bool
    /// `<home>/workspaces/<id>/worktrees/<repo>/<agent>`.
    public var path: String
    public var branch: String
    /// Whether the folder exists (it is created at the first launch).
    public var exists: Bool
    /// The repo's current branch (absent on a detached HEAD).
    public var baseBranch: String?
    /// Commits on the agent's branch the repo's HEAD does not have.
    public var ahead: Int?
    /// Commits on the repo's HEAD the agent's branch does not have.
    public var behind: Int?
    /// Uncommitted changes, untracked files included.
    public var changes: Int?
    /// Why git could not answer, when it could not.
    public var problem: String?

    public init(
        enabled: Bool,
        path: String,
        branch: String,
        exists: Bool,
        baseBranch: String? = nil,
        ahead: Int? = nil,
        behind: Int? = nil,
        changes: Int? = nil,
        problem: String? = nil
    ) {
        self.enabled = enabled
        self.path = path
        self.branch = branch
        self.exists = exists
        self.baseBranch = baseBranch
        self.ahead = ahead
        self.behind = behind
        self.changes = changes
        self.problem = problem
    }
}

/// One changed file; `added`/`removed` absent for a binary file.
public struct WorktreeFileResponse: Codable, Sendable, Equatable {
    public var path: String
    public var added: Int?
    public var removed: Int?

    public init(path: String, added: Int?, removed: Int?) {
        self.path = path
        self.added = added
        self.removed = removed
    }
}

/// `GET …/agents/{agent}/worktree/diff[?full=true]`: the agent's work since its branch left the repo's HEAD
/// (committed and uncommitted changes of tracked files; new untracked files by name).
public struct WorktreeDiffResponse: Codable, Sendable, Equatable {
    public var agent: String
    public var files: [WorktreeFileResponse]
    public var untracked: [String]
    public var filesChanged: Int
    public var added: Int
    public var removed: Int
    /// The full diff (plain text, never HTML) with `full=true`, cut at `limitBytes`.
    public var diff: String?
    public var truncated: Bool
    public var limitBytes: Int

    public init(
        agent: String,
        files: [WorktreeFileResponse],
        untracked: [String],
        filesChanged: Int,
        added: Int,
        removed: Int,
        diff: String?,
        truncated: Bool,
        limitBytes: Int
    ) {
        self.agent = agent
        self.files = files
        self.untracked = untracked
        self.filesChanged = filesChanged
        self.added = added
        self.removed = removed
        self.diff = diff
        self.truncated = truncated
        self.limitBytes = limitBytes
    }
}

/// `DELETE …/agents/{agent}/worktree[?force=true]`: the folder is gone, the branch stays.
public struct WorktreeRemovalResult: Codable, Sendable, Equatable {
    public var agent: String
    public var path: String
    public var branch: String
    /// Uncommitted changes discarded (with `force`).
    public var discardedChanges: Int

    public init(agent: String, path: String, branch: String, discardedChanges: Int) {
        self.agent = agent
        self.path = path
        self.branch = branch
        self.discardedChanges = discardedChanges
    }
}
