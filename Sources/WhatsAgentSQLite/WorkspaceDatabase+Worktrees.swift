import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// The worktree settings of every agent that has one.
    package func worktreeSettings() async throws -> [AgentID: WorktreeSetting] {
        try await self.writer.read { db in
            var settings: [AgentID: WorktreeSetting] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT agentId, enabled, branch FROM agentWorktree") {
                settings[AgentID(rawValue: row["agentId"])] = WorktreeSetting(enabled: row["enabled"], branch: row["branch"])
            }
            return settings
        }
    }

    package func worktreeSetting(_ agent: AgentID) async throws -> WorktreeSetting? {
        try await self.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT enabled, branch FROM agentWorktree WHERE agentId = ?", arguments: [agent.rawValue])
                .map { WorktreeSetting(enabled: $0["enabled"], branch: $0["branch"]) }
        }
    }

    package func saveWorktreeSetting(_ setting: WorktreeSetting, agent: AgentID) async throws {
        try await self.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO agentWorktree (agentId, enabled, branch) VALUES (?, ?, ?)
                    ON CONFLICT(agentId) DO UPDATE SET enabled = excluded.enabled, branch = excluded.branch
                    """,
                arguments: [agent.rawValue, setting.enabled, setting.branch]
            )
        }
    }

    /// The agent's live sessions (at most one).
    package func liveSessions(of agent: AgentID) async throws -> [LiveSession] {
        try await self.writer.read { db in try Self.liveSessions(db, sql: "agentId = ?", arguments: [agent.rawValue]) }
    }
}
