import Foundation

/// Per-agent worktree settings (issue 23).
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol WorktreeStore: Sendable {
    /// The worktree settings of every agent that has one.
    func worktreeSettings() async throws -> [AgentID: WorktreeSetting]

    func worktreeSetting(_ agent: AgentID) async throws -> WorktreeSetting?

    func saveWorktreeSetting(_ setting: WorktreeSetting, agent: AgentID) async throws

    /// The agent's live sessions (at most one).
    func liveSessions(of agent: AgentID) async throws -> [LiveSession]
}
