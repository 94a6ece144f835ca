import Foundation
import WhatsAgentAPI

/// Agents' git worktrees (issue 23).
extension DaemonClient {
    /// The diff summary of the agent's worktree; the full diff (size-capped) with `full`.
    public func worktreeDiff(workspace: String?, _ address: String, full: Bool) async throws -> WorktreeDiffResponse {
        try await self.request("GET", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/worktree/diff?full=\(full)")
    }

    /// Removes the agent's worktree folder (the branch stays).
    public func removeWorktree(workspace: String?, _ address: String, force: Bool) async throws -> WorktreeRemovalResult {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/worktree?force=\(force)")
    }
}
