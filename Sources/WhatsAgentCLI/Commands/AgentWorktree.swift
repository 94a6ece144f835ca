import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent agent worktree REPO:NAME status|diff|remove` (issue 23).
struct AgentWorktree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worktree",
        abstract: "Show, diff or remove an agent's git worktree (the branch always stays).",
        discussion: """
            Actions: status (the default), diff (the summary; --full for the whole diff, size-capped), remove
            (refused while the agent runs, and while the worktree has uncommitted changes unless --force).
            """
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case status
        case diff
        case remove
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: "repo:name") var address: String
    @Argument(help: "status, diff or remove.") var action: Action = .status
    @Flag(help: "remove: discard uncommitted changes.") var force = false
    @Flag(help: "diff: print the whole diff, not only the summary.") var full = false

    func run() async throws {
        let client = self.global.client
        switch self.action {
        case .status:
            let agent = try await client.agent(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(agent.worktree) }
            guard let worktree = agent.worktree else {
                return print("\(agent.address) has no worktree; turn it on with `whatsagent agent set \(agent.address) --worktree on`")
            }
            for line in AgentWorktree.describe(worktree) { print(line) }
        case .diff:
            let diff = try await client.worktreeDiff(workspace: self.scope.workspace, self.address, full: self.full)
            if self.global.json { return try Output.json(diff) }
            for file in diff.files {
                print("\(file.added.map(String.init) ?? "-")\t\(file.removed.map(String.init) ?? "-")\t\(Terminal.safe(file.path))")
            }
            for file in diff.untracked { print("new\t\t\(Terminal.safe(file)) (untracked)") }
            print("\(diff.filesChanged) file\(diff.filesChanged == 1 ? "" : "s") changed, +\(diff.added) −\(diff.removed)")
            if let text = diff.diff {
                print(Terminal.safe(text))
                if diff.truncated { print("… the diff is longer than \(diff.limitBytes / 1024) KiB and was cut; run git diff in the worktree") }
            }
        case .remove:
            let result = try await client.removeWorktree(workspace: self.scope.workspace, self.address, force: self.force)
            if self.global.json { return try Output.json(result) }
            let discarded = result.discardedChanges > 0 ? "; \(result.discardedChanges) uncommitted change(s) discarded" : ""
            print("removed the worktree of \(result.agent) (\(result.path)); branch \(result.branch) kept\(discarded)")
        }
    }

    /// The lines `agent show` and `agent worktree` print.
    static func describe(_ worktree: AgentWorktreeResponse) -> [String] {
        var lines = ["worktree: \(worktree.enabled ? "on" : "off") — branch \(worktree.branch)"]
        guard worktree.exists else {
            lines.append("  folder:  \(worktree.path.isEmpty ? "(none)" : worktree.path) (created at the next launch)")
            return lines
        }
        lines.append("  folder:  \(worktree.path)")
        let base = worktree.baseBranch ?? "the repo's HEAD (detached)"
        if let ahead = worktree.ahead, let behind = worktree.behind {
            lines.append("  vs \(base): \(ahead) ahead, \(behind) behind")
        }
        if let changes = worktree.changes { lines.append("  uncommitted changes: \(changes)") }
        if let problem = worktree.problem { lines.append("  git: \(problem)") }
        return lines
    }
}
