import Foundation
import Testing

@testable import WhatsAgentCore

/// Which worktree a task's branch diff is read from (issue 23): the worktree of an agent of the workspace that is on
/// the branch, the assignee's first; no other folder, and a clear refusal when none is on it.
@Suite struct TaskBranchDiffTests {
    /// Git as the worktree service sees it: each worktree folder is on the branch `branches` names for its agent.
    final class FakeGit: WorktreeGit, @unchecked Sendable {
        let branches: [String: String]
        private let lock = NSLock()
        private var folders: [String] = []

        init(branches: [String: String]) {
            self.branches = branches
        }

        var visited: [String] { self.lock.withLock { self.folders } }

        func requireRepository(_ repo: String) async throws {}
        func prefix(ofRepository repo: String) async throws -> String { "" }
        func prepare(repo: String, worktree: String, branch: String) async throws -> WorktreePreparation { .reused }
        func remove(repo: String, worktree: String, force: Bool) async throws {}

        func status(repo: String, worktree: String, branch: String) async -> WorktreeStatus {
            self.lock.withLock { self.folders.append(worktree) }
            let agent = (worktree as NSString).lastPathComponent
            return WorktreeStatus(
                path: worktree,
                branch: self.branches[agent] ?? branch,
                exists: true,
                baseBranch: "main",
                ahead: 1,
                behind: 0,
                changes: 0
            )
        }

        func diff(repo: String, worktree: String, fullLimit: Int?) async throws -> WorktreeDiff {
            self.lock.withLock { self.folders.append(worktree) }
            return WorktreeDiff(files: [WorktreeFileChange(path: (worktree as NSString).lastPathComponent, added: 1, removed: 0)])
        }
    }

    /// Agents api:dev1…dev4 with worktrees; dev1 and dev2 are on feature/x, dev3 on its own branch, and dev4's folder
    /// does not exist (never launched).
    static func world() async throws -> (WorktreeService, FakeGit, [String: AgentID], TemporaryHome) {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        let workspace = try await workspaces.create(WorkspaceDraft(name: "w"))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let git = FakeGit(branches: ["dev1": "feature/x", "dev2": "feature/x", "dev3": "wa/dev3"])
        let worktrees = WorktreeService(workspaces: workspaces, git: git)
        var ids: [String: AgentID] = [:]
        for name in ["dev1", "dev2", "dev3", "dev4"] {
            let address = try AgentAddress(parsing: "api:\(name)")
            ids[name] = try await AgentService(workspaces: workspaces).add(workspace: nil, AgentDraft(address: address)).id
            try await worktrees.configure(workspace: nil, address, enabled: true, branch: nil)
            guard name != "dev4", let folder = await worktrees.folder(workspace: workspace.id, repo: "api", agent: name) else { continue }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return (worktrees, git, ids, home)
    }

    @Test func theAssigneesWorktreeIsPreferredThenTheFirstAgentOnTheBranch() async throws {
        let (worktrees, git, ids, home) = try await Self.world()
        defer { withExtendedLifetime(home) {} }  // the home (and the worktree folders) live until the end

        let assignees = try await worktrees.taskBranchDiff(workspace: nil, branch: "feature/x", preferring: ids["dev2"], full: false)
        let anyone = try await worktrees.taskBranchDiff(workspace: nil, branch: "feature/x", preferring: ids["dev3"], full: false)
        let own = try await worktrees.taskBranchDiff(workspace: nil, branch: "wa/dev3", preferring: nil, full: false)

        #expect(assignees.agent.description == "api:dev2")
        #expect(assignees.diff.files.map(\.path) == ["dev2"], "the diff is read in dev2's worktree")
        #expect(anyone.agent.description == "api:dev1", "the assignee is on another branch: the first agent on it")
        #expect(own.agent.description == "api:dev3" && own.status.ahead == 1 && own.status.baseBranch == "main")
        #expect(git.visited.allSatisfy { $0.contains("/worktrees/api/") }, "git ran only in worktrees: \(git.visited)")
    }

    @Test func noWorktreeOnTheBranchIsRefusedWithWhatToDo() async throws {
        let (worktrees, git, _, home) = try await Self.world()
        defer { withExtendedLifetime(home) {} }

        let refusal = await #expect(throws: DomainError.self) {
            try await worktrees.taskBranchDiff(workspace: nil, branch: "wa/dev4", preferring: nil, full: true)
        }

        #expect(refusal?.code == .notFound)
        #expect(refusal?.message.contains("no agent worktree of this workspace is on branch wa/dev4") == true)
        #expect(refusal?.message.contains("whatsagent task edit ID --branch B") == true)
        #expect(!git.visited.contains { $0.hasSuffix("/dev4") }, "dev4's missing folder is not asked")
    }
}
