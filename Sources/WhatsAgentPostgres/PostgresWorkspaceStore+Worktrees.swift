import Foundation
import PostgresNIO
import WhatsAgentCore

/// Per-agent worktree settings (``WorktreeStore``, issue 23). The worktrees themselves are folders of the agent's host.
extension PostgresWorkspaceStore {
    package func worktreeSettings() async throws -> [AgentID: WorktreeSetting] {
        try await self.read { connection in
            var settings: [AgentID: WorktreeSetting] = [:]
            for try await (agent, enabled, branch) in try await connection.query(
                "SELECT agent_id, enabled, branch FROM agent_worktree WHERE workspace_id = \(self.id)",
                logger: self.logger
            ).decode((String, Bool, String).self) {
                settings[AgentID(rawValue: agent)] = WorktreeSetting(enabled: enabled, branch: branch)
            }
            return settings
        }
    }

    package func worktreeSetting(_ agent: AgentID) async throws -> WorktreeSetting? {
        try await self.read { connection in
            var setting: WorktreeSetting?
            for try await (enabled, branch) in try await connection.query(
                "SELECT enabled, branch FROM agent_worktree WHERE workspace_id = \(self.id) AND agent_id = \(agent.rawValue)",
                logger: self.logger
            ).decode((Bool, String).self) {
                setting = WorktreeSetting(enabled: enabled, branch: branch)
            }
            return setting
        }
    }

    package func saveWorktreeSetting(_ setting: WorktreeSetting, agent: AgentID) async throws {
        try await self.write(locked: false) { connection in
            _ = try await connection.query(
                """
                INSERT INTO agent_worktree (workspace_id, agent_id, enabled, branch) VALUES (\(self.id), \(agent.rawValue), \(setting.enabled),
                    \(setting.branch))
                ON CONFLICT (workspace_id, agent_id) DO UPDATE SET enabled = excluded.enabled, branch = excluded.branch
                """,
                logger: self.logger
            )
        }
    }

    package func liveSessions(of agent: AgentID) async throws -> [LiveSession] {
        try await self.read { connection in try await self.liveSessions(of: [agent.rawValue], on: connection) }
    }
}
