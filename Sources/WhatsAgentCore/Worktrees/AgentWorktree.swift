import Foundation

/// An agent's worktree switch (issue 23): on, the daemon starts the agent in its own git worktree of the repo, on
/// `branch`. Kept after the switch goes off, so the folder can still be listed and removed.
public struct WorktreeSetting: Equatable, Sendable {
    public var enabled: Bool
    public var branch: String

    public init(enabled: Bool, branch: String) {
        self.enabled = enabled
        self.branch = branch
    }
}

/// What `git` reports about an agent's worktree. Counts are nil when the folder does not exist (yet).
public struct WorktreeStatus: Equatable, Sendable {
    public var path: String
    public var branch: String
    /// Whether the folder exists and is a worktree.
    public var exists: Bool
    /// The repo's current branch (nil on a detached HEAD).
    public var baseBranch: String?
    /// Commits on the agent's branch that the repo's HEAD does not have.
    public var ahead: Int?
    /// Commits on the repo's HEAD that the agent's branch does not have.
    public var behind: Int?
    /// Uncommitted changes (`git status --porcelain` entries, untracked files included).
    public var changes: Int?
    /// Why git could not answer (the status is partial then).
    public var problem: String?

    public init(
        path: String,
        branch: String,
        exists: Bool,
        baseBranch: String? = nil,
        ahead: Int? = nil,
        behind: Int? = nil,
        changes: Int? = nil,
        problem: String? = nil
    ) {
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

/// One file of a diff summary; `added`/`removed` are nil for a binary file.
public struct WorktreeFileChange: Equatable, Sendable {
    public var path: String
    public var added: Int?
    public var removed: Int?

    public init(path: String, added: Int?, removed: Int?) {
        self.path = path
        self.added = added
        self.removed = removed
    }
}

/// The agent's work against the point where its branch left the repo's HEAD: committed and uncommitted changes of
/// tracked files, plus untracked files by name.
public struct WorktreeDiff: Equatable, Sendable {
    public var files: [WorktreeFileChange]
    /// New files git does not track yet (not in `files`, no line counts).
    public var untracked: [String]
    /// The full diff text when asked for, cut at the cap.
    public var text: String?
    public var truncated: Bool

    public init(files: [WorktreeFileChange], untracked: [String] = [], text: String? = nil, truncated: Bool = false) {
        self.files = files
        self.untracked = untracked
        self.text = text
        self.truncated = truncated
    }

    public var added: Int { self.files.reduce(0) { $0 + ($1.added ?? 0) } }
    public var removed: Int { self.files.reduce(0) { $0 + ($1.removed ?? 0) } }
}

/// How a launch found the agent's worktree.
public enum WorktreePreparation: Equatable, Sendable {
    /// New folder; `branchCreated` is false when an existing branch was checked out (never reset).
    case created(branchCreated: Bool)
    case reused
    /// The folder had been deleted by hand: stale worktree entries were pruned and the folder recreated.
    case recreated(branchCreated: Bool)
}

/// The git operations the worktree feature needs; the daemon's implementation drives the `git` CLI
/// (`WhatsAgentRuntimes.GitWorktrees`), so the core runs no processes.
public protocol WorktreeGit: Sendable {
    /// Throws `not_a_git_repository`-style `invalid_state` errors with the fix when `repo` is not in a git work tree.
    func requireRepository(_ repo: String) async throws
    /// The folder of `repo` relative to its work tree's top ("" at the top), so the agent starts in the same place.
    func prefix(ofRepository repo: String) async throws -> String
    func prepare(repo: String, worktree: String, branch: String) async throws -> WorktreePreparation
    func status(repo: String, worktree: String, branch: String) async -> WorktreeStatus
    /// The diff summary; the full text too when `fullLimit` is set (bytes).
    func diff(repo: String, worktree: String, fullLimit: Int?) async throws -> WorktreeDiff
    /// `git worktree remove` (the branch stays); a folder already gone is pruned.
    func remove(repo: String, worktree: String, force: Bool) async throws
}
