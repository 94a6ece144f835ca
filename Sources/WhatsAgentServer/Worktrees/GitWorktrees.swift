import Foundation
import WhatsAgentCore
import WhatsAgentRuntimes

/// ``WorktreeGit`` over the `git` CLI (``GitClient``): every call has the client's timeout, and a failing call
/// becomes an `invalid_state` error that carries git's stderr.
struct GitWorktrees: WorktreeGit {
    let git: GitClient

    init(git: GitClient = GitClient()) {
        self.git = git
    }

    func requireRepository(_ repo: String) async throws {
        let inside = try await self.call(["rev-parse", "--is-inside-work-tree"], in: repo, allowing: [128])
        guard inside.exitCode == 0, inside.firstLine == "true" else {
            throw DomainError(.invalidState, "it is not a git repository (or is a bare one)")
        }
        let head = try await self.call(["rev-parse", "--verify", "--quiet", "HEAD"], in: repo, allowing: [1])
        guard head.exitCode == 0 else { throw DomainError(.invalidState, "it has no commit yet") }
    }

    func prefix(ofRepository repo: String) async throws -> String {
        let line = try await self.call(["rev-parse", "--show-prefix"], in: repo).firstLine
        return line.hasSuffix("/") ? String(line.dropLast()) : line
    }

    func prepare(repo: String, worktree: String, branch: String) async throws -> WorktreePreparation {
        if try await self.isWorktree(worktree) { return .reused }
        let target = Self.resolved(worktree)
        let registered = GitOutputParsing.worktreePaths(try await self.call(["worktree", "list", "--porcelain"], in: repo).text)
            .map(Self.resolved)
            .contains(target)
        let manager = FileManager.default
        if manager.fileExists(atPath: worktree) {
            guard (try? manager.contentsOfDirectory(atPath: worktree))?.isEmpty == true else {
                throw DomainError(
                    .invalidState,
                    "\(worktree) exists and is not a git worktree; move it away, then launch the agent again"
                )
            }
            try manager.removeItem(atPath: worktree)
        }
        // A folder deleted by hand leaves its entry in .git/worktrees; git prunes it (we never edit .git ourselves).
        _ = try await self.call(["worktree", "prune"], in: repo)
        try manager.createDirectory(
            atPath: (worktree as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let exists = try await self.call(["show-ref", "--verify", "--quiet", "refs/heads/\(branch)"], in: repo, allowing: [1])
        if exists.exitCode == 0 {
            // An existing branch is checked out as it is, never reset.
            _ = try await self.call(["worktree", "add", worktree, branch], in: repo)
        } else {
            _ = try await self.call(["worktree", "add", "-b", branch, worktree, "HEAD"], in: repo)
        }
        let created = exists.exitCode != 0
        return registered ? .recreated(branchCreated: created) : .created(branchCreated: created)
    }

    func status(repo: String, worktree: String, branch: String) async -> WorktreeStatus {
        var status = WorktreeStatus(path: worktree, branch: branch, exists: false)
        do {
            let base = try await self.call(["symbolic-ref", "--short", "--quiet", "HEAD"], in: repo, allowing: [1])
            status.baseBranch = base.exitCode == 0 ? base.firstLine : nil
            guard try await self.isWorktree(worktree) else { return status }
            status.exists = true
            let current = try await self.call(["symbolic-ref", "--short", "--quiet", "HEAD"], in: worktree, allowing: [1])
            if current.exitCode == 0 { status.branch = current.firstLine }
            let head = try await self.call(["rev-parse", "HEAD"], in: repo).firstLine
            let counts = try await self.call(["rev-list", "--left-right", "--count", "\(head)...HEAD"], in: worktree).text
            if let counts = GitOutputParsing.leftRightCount(counts) {
                status.behind = counts.left
                status.ahead = counts.right
            }
            let porcelain = try await self.call(["status", "--porcelain=v1", "-z"], in: worktree)
            status.changes = GitOutputParsing.statusEntryCount(porcelain.stdout)
        } catch {
            status.problem = "\(error)"
        }
        return status
    }

    func diff(repo: String, worktree: String, fullLimit: Int?) async throws -> WorktreeDiff {
        let head = try await self.call(["rev-parse", "HEAD"], in: repo).firstLine
        let mergeBase = try await self.call(["merge-base", head, "HEAD"], in: worktree, allowing: [1])
        let base = mergeBase.exitCode == 0 && !mergeBase.firstLine.isEmpty ? mergeBase.firstLine : head
        let options = ["--no-color", "--no-ext-diff", "--no-textconv"]
        let numstat = try await self.call(["diff", "--numstat", "-z"] + options + [base], in: worktree)
        let untracked = try await self.call(["ls-files", "--others", "--exclude-standard", "-z"], in: worktree)
        var diff = WorktreeDiff(
            files: GitOutputParsing.numstat(numstat.stdout).map { WorktreeFileChange(path: $0.path, added: $0.added, removed: $0.removed) },
            untracked: GitOutputParsing.nulSeparated(untracked.stdout)
        )
        if let fullLimit {
            let text = try await self.call(["-c", "core.quotePath=false", "diff"] + options + [base], in: worktree, outputLimit: fullLimit)
            diff.text = String(decoding: text.stdout, as: UTF8.self)
            diff.truncated = text.truncated
        }
        return diff
    }

    func remove(repo: String, worktree: String, force: Bool) async throws {
        guard FileManager.default.fileExists(atPath: worktree) else {
            _ = try await self.call(["worktree", "prune"], in: repo)
            return
        }
        _ = try await self.call(["worktree", "remove"] + (force ? ["--force"] : []) + [worktree], in: repo)
    }

    // MARK: Helpers

    /// Whether `folder` exists and is the top of a git work tree.
    private func isWorktree(_ folder: String) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: folder) else { return false }
        let top = try await self.call(["rev-parse", "--show-toplevel"], in: folder, allowing: [128])
        return top.exitCode == 0 && Self.resolved(top.firstLine) == Self.resolved(folder)
    }

    private func call(
        _ arguments: [String],
        in directory: String,
        allowing codes: Set<Int32> = [],
        outputLimit: Int? = nil
    ) async throws
        -> GitClient.Output
    {
        do {
            return try await self.git.run(arguments, in: directory, allowing: codes, outputLimit: outputLimit)
        } catch let error as GitError {
            throw DomainError(.invalidState, error.description)
        }
    }

    /// `path` with symlinks resolved in its longest existing ancestor (the folder itself may be gone).
    static func resolved(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var result = existing.resolvingSymlinksInPath()
        for component in rest { result.appendPathComponent(component) }
        return result.path
    }
}
