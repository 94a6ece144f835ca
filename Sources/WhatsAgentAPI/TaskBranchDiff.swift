import Foundation

/// `GET …/board/tasks/{task}/branch/diff[?full=true]` (issue 23): the work on the task's branch, read from the
/// worktree of the agent on that branch — committed and uncommitted changes since the branch left the repo's branch.
public struct TaskBranchDiffResponse: Codable, Sendable, Equatable {
    /// The task's display id.
    public var task: String
    public var branch: String
    /// The agent whose worktree is on the branch.
    public var agent: String
    /// The repo's current branch the diff is taken against (absent on a detached HEAD).
    public var baseBranch: String?
    /// Commits on the task's branch the repo's branch does not have.
    public var ahead: Int?
    /// Commits on the repo's branch the task's branch does not have.
    public var behind: Int?
    /// Uncommitted changes in the worktree, untracked files included.
    public var uncommitted: Int?
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
        task: String,
        branch: String,
        agent: String,
        baseBranch: String?,
        ahead: Int?,
        behind: Int?,
        uncommitted: Int?,
        files: [WorktreeFileResponse],
        untracked: [String],
        diff: String?,
        truncated: Bool,
        limitBytes: Int
    ) {
        self.task = task
        self.branch = branch
        self.agent = agent
        self.baseBranch = baseBranch
        self.ahead = ahead
        self.behind = behind
        self.uncommitted = uncommitted
        self.files = files
        self.untracked = untracked
        self.filesChanged = files.count + untracked.count
        self.added = files.reduce(0) { $0 + ($1.added ?? 0) }
        self.removed = files.reduce(0) { $0 + ($1.removed ?? 0) }
        self.diff = diff
        self.truncated = truncated
        self.limitBytes = limitBytes
    }
}
