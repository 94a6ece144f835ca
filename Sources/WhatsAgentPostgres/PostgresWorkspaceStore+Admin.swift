import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The rows of repos, agents and sessions that the messaging use cases read, written plainly: what the PostgreSQL
/// `RepoAgentStore` and `SessionStore` (issue 22, next) will own with their checks. Today the contract suites seed
/// a workspace with them.
extension PostgresWorkspaceStore {
    /// Adds `repo` unless a repo of that name exists; returns the one stored.
    package func insertRepo(_ repo: Repo) async throws -> Repo {
        try await self.write(locked: false) { connection in
            try await connection.query(
                """
                INSERT INTO repo (workspace_id, id, name, path, created_at, updated_at)
                VALUES (\(self.id), \(repo.id.rawValue), \(repo.name), \(repo.path), \(repo.createdAt), \(repo.updatedAt))
                ON CONFLICT DO NOTHING
                """,
                logger: self.logger
            )
            let stored = try await self.rows(
                "SELECT id, name, path, created_at, updated_at FROM repo WHERE workspace_id = \(self.id) AND lower(name) = lower(\(repo.name))",
                on: connection
            ) { row in
                Repo(
                    id: RepoID(rawValue: try row.value("id")),
                    name: try row.value("name"),
                    path: try row.value("path"),
                    createdAt: try row.value("created_at"),
                    updatedAt: try row.value("updated_at")
                )
            }
            guard let found = stored.first else { throw DomainError.repoNotFound(repo.name) }
            return found
        }
    }

    /// Adds `agent` (its repo must exist) with its roles.
    package func insertAgent(_ agent: Agent) async throws {
        let args = String(decoding: try JSONEncoder().encode(agent.args), as: UTF8.self)
        let persona = try agent.persona.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await self.write(locked: false) { connection in
            try await connection.query(
                """
                INSERT INTO agent (workspace_id, id, repo_id, name, runtime, command, args_json, is_main, push_enabled, nudge_enabled,
                    muted, persona_json, created_at, updated_at)
                VALUES (\(self.id), \(agent.id.rawValue), \(agent.repoID.rawValue), \(agent.name), \(agent.runtime.rawValue), \(agent.command),
                    \(args), \(agent.isMain), \(agent.pushEnabled), \(agent.nudgeEnabled), \(agent.muted), \(persona), \(agent.createdAt),
                    \(agent.updatedAt))
                """,
                logger: self.logger
            )
            for role in agent.roles {
                try await connection.query(
                    "INSERT INTO agent_role (workspace_id, agent_id, role_name) VALUES (\(self.id), \(agent.id.rawValue), \(role))",
                    logger: self.logger
                )
            }
        }
    }

    /// Opens `session` as its agent's live session, ending the one it had.
    package func openSession(_ session: LiveSession, tokenHash: String, now: Date) async throws {
        try await self.write(locked: false) { connection in
            try await connection.query(
                """
                UPDATE session SET ended_at = \(now), end_reason = 'replaced'
                WHERE workspace_id = \(self.id) AND agent_id = \(session.agentID?.rawValue) AND ended_at IS NULL
                """,
                logger: self.logger
            )
            try await connection.query(
                """
                INSERT INTO session (workspace_id, id, agent_id, agent_address, kind, token_hash, runtime, started_at)
                VALUES (\(self.id), \(session.id.rawValue), \(session.agentID?.rawValue), \(session.agentAddress), \(session.kind.rawValue),
                    \(tokenHash), \(session.runtime), \(session.startedAt))
                """,
                logger: self.logger
            )
        }
    }

    /// Mutes or unmutes `agent` (the human's `agent set --mute`).
    package func setMuted(_ agent: AgentID, _ muted: Bool, now: Date) async throws {
        try await self.write(locked: false) { connection in
            _ = try await connection.query(
                "UPDATE agent SET muted = \(muted), updated_at = \(now) WHERE workspace_id = \(self.id) AND id = \(agent.rawValue)",
                logger: self.logger
            )
        }
    }
}
