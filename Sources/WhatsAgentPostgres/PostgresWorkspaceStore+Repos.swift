import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// Repos and agents (``RepoAgentStore``): each write one transaction under the workspace's lock, its checks (name
/// clashes, one main agent, live sessions) read inside it; the refusals are the core's (`DomainError+StoreRefusals`).
extension PostgresWorkspaceStore {
    // MARK: - Writes

    /// A PostgreSQL store is not a file: `whatsagent backup` names `pg_dump` instead.
    /// - Throws: `invalid_state`, always.
    package func backup(to path: String) throws {
        throw DomainError(
            .invalidState,
            "workspace \(self.workspace) lives in the PostgreSQL database \(self.database.address.database), which `whatsagent backup` "
                + "cannot copy; back it up with `pg_dump --format=custom --file=whatsagent.dump '\(self.database.address)'`"
        )
    }

    package func insertRepo(_ repo: Repo) async throws {
        try await self.write { connection in
            // One host's paths (item 4 of docs/store.md records the host of each repo; until then every repo is this one's).
            for clash in try await self.repos(
                """
                SELECT id, name, path, created_at, updated_at FROM repo
                WHERE workspace_id = \(self.id) AND (lower(name) = lower(\(repo.name)) OR path = \(repo.path))
                """,
                on: connection
            ) {
                if clash.name.lowercased() == repo.name.lowercased() { throw DomainError.repoNameTaken(clash.name, path: clash.path) }
                throw DomainError.repoPathTaken(repo.path, name: clash.name)
            }
            try await connection.query(
                """
                INSERT INTO repo (workspace_id, id, name, path, created_at, updated_at)
                VALUES (\(self.id), \(repo.id.rawValue), \(repo.name), \(repo.path), \(repo.createdAt), \(repo.updatedAt))
                """,
                logger: self.logger
            )
        }
    }

    package func deleteRepo(named name: String, force: Bool, now: Date) async throws -> [LiveSession] {
        try await self.write { connection in
            guard let repo = try await self.repo(named: name, on: connection) else { throw DomainError.repoNotFound(name) }
            let agents = try await self.values(
                String.self,
                "SELECT id FROM agent WHERE workspace_id = \(self.id) AND repo_id = \(repo.id.rawValue)",
                on: connection
            )
            let live = try await self.liveSessions(of: agents, on: connection)
            if let reason = try LiveSession.endReason(
                removing: "repo '\(repo.name)'",
                live: live,
                force: force,
                command: "whatsagent repo remove \(repo.name)",
                reason: "repo removed"
            ) {
                try await self.end(live, reason: reason, now: now, on: connection)
            }
            try await self.detach(agents, on: connection)
            try await connection.query("DELETE FROM repo WHERE workspace_id = \(self.id) AND id = \(repo.id.rawValue)", logger: self.logger)
            return live
        }
    }

    @discardableResult
    package func insertAgent(_ proposed: Agent) async throws -> Agent {
        let columns = try Self.agentJSON(proposed)
        return try await self.write { connection in
            var agent = proposed
            agent.isMain = agent.becomesMain(workspaceHasMain: try await self.mainAgentID(on: connection) != nil)
            let clashes = try await self.values(
                Int.self,
                """
                SELECT COUNT(*)::int8 FROM agent
                WHERE workspace_id = \(self.id) AND repo_id = \(agent.repoID.rawValue) AND lower(name) = lower(\(agent.name))
                """,
                on: connection
            )
            guard clashes.first ?? 0 == 0 else { throw DomainError.agentNameTaken(agent.address) }
            if agent.isMain { try await self.clearMain(now: agent.updatedAt, on: connection) }
            try await connection.query(
                """
                INSERT INTO agent (workspace_id, id, repo_id, name, runtime, command, args_json, is_main, push_enabled, nudge_enabled,
                    muted, persona_json, created_at, updated_at)
                VALUES (\(self.id), \(agent.id.rawValue), \(agent.repoID.rawValue), \(agent.name), \(agent.runtime.rawValue), \(agent.command),
                    \(columns.args), \(agent.isMain), \(agent.pushEnabled), \(agent.nudgeEnabled), \(agent.muted), \(columns.persona),
                    \(agent.createdAt), \(agent.updatedAt))
                """,
                logger: self.logger
            )
            try await self.replaceRoles(of: agent.id, with: agent.roles, on: connection)
            return agent
        }
    }

    package func updateAgent(_ address: AgentAddress, _ change: @Sendable (inout Agent) throws -> Void) async throws -> Agent {
        try await withoutActuallyEscaping(change) { change in
            try await self.write { connection in
                var agent = try await self.agent(at: address, on: connection)
                let wasMain = agent.isMain
                try change(&agent)
                if agent.isMain && !wasMain { try await self.clearMain(now: agent.updatedAt, on: connection) }
                let columns = try Self.agentJSON(agent)
                try await connection.query(
                    """
                    UPDATE agent SET repo_id = \(agent.repoID.rawValue), name = \(agent.name), runtime = \(agent.runtime.rawValue),
                        command = \(agent.command), args_json = \(columns.args), is_main = \(agent.isMain), push_enabled = \(agent.pushEnabled),
                        nudge_enabled = \(agent.nudgeEnabled), muted = \(agent.muted), persona_json = \(columns.persona),
                        updated_at = \(agent.updatedAt)
                    WHERE workspace_id = \(self.id) AND id = \(agent.id.rawValue)
                    """,
                    logger: self.logger
                )
                try await self.replaceRoles(of: agent.id, with: agent.roles, on: connection)
                return agent
            }
        }
    }

    package func unsetMain(now: Date) async throws -> Agent? {
        try await self.write { connection in
            var previous: Agent?
            if let id = try await self.mainAgentID(on: connection) { previous = try await self.agent(id: id, on: connection) }
            try await self.clearMain(now: now, on: connection)
            return previous
        }
    }

    package func deleteAgent(_ address: AgentAddress, force: Bool, now: Date) async throws -> [LiveSession] {
        try await self.write { connection in
            let agent = try await self.agent(at: address, on: connection)
            let live = try await self.liveSessions(of: [agent.id.rawValue], on: connection)
            if let reason = try LiveSession.endReason(
                removing: "agent \(address)",
                live: live,
                force: force,
                command: "whatsagent agent remove \(address)",
                reason: "agent removed"
            ) {
                try await self.end(live, reason: reason, now: now, on: connection)
            }
            try await self.detach([agent.id.rawValue], on: connection)
            try await connection.query("DELETE FROM agent WHERE workspace_id = \(self.id) AND id = \(agent.id.rawValue)", logger: self.logger)
            return live
        }
    }

    package func endAllSessions(reason: String, now: Date) async throws -> [LiveSession] {
        try await self.write { connection in
            let live = try await self.sessions(
                "SELECT \(unescaped: Self.sessionColumns) FROM session WHERE workspace_id = \(self.id) AND ended_at IS NULL ORDER BY started_at",
                on: connection
            ).map(\.session)
            try await self.end(live, reason: reason, now: now, on: connection)
            return live
        }
    }

    // MARK: - Reads

    package func repos() async throws -> [Repo] {
        try await self.read { connection in
            try await self.repos(
                "SELECT id, name, path, created_at, updated_at FROM repo WHERE workspace_id = \(self.id) ORDER BY lower(name) COLLATE \"C\"",
                on: connection
            )
        }
    }

    package func repo(named name: String) async throws -> Repo {
        try await self.read { connection in
            guard let repo = try await self.repo(named: name, on: connection) else { throw DomainError.repoNotFound(name) }
            return repo
        }
    }

    package func agents() async throws -> [Agent] {
        try await self.read { connection in try await self.agents(on: connection) }
    }

    package func agent(_ address: AgentAddress) async throws -> Agent {
        try await self.read { connection in try await self.agent(at: address, on: connection) }
    }

    package func liveSessions() async throws -> [LiveSession] {
        try await self.read { connection in
            try await self.sessions(
                "SELECT \(unescaped: Self.sessionColumns) FROM session WHERE workspace_id = \(self.id) AND ended_at IS NULL ORDER BY started_at",
                on: connection
            ).map(\.session)
        }
    }

    package func countsNow() async throws -> (repos: Int, agents: Int, liveSessions: Int) {
        try await self.read { connection in
            var counts = (repos: 0, agents: 0, liveSessions: 0)
            for try await (repos, agents, live) in try await connection.query(
                """
                SELECT (SELECT COUNT(*) FROM repo WHERE workspace_id = \(self.id))::int8,
                    (SELECT COUNT(*) FROM agent WHERE workspace_id = \(self.id))::int8,
                    (SELECT COUNT(*) FROM session WHERE workspace_id = \(self.id) AND ended_at IS NULL)::int8
                """,
                logger: self.logger
            ).decode((Int, Int, Int).self) {
                counts = (repos, agents, live)
            }
            return counts
        }
    }

    // MARK: Helpers

    /// The repo named `name` (without case), inside the caller's transaction.
    private func repo(named name: String, on connection: PostgresConnection) async throws -> Repo? {
        try await self.repos(
            "SELECT id, name, path, created_at, updated_at FROM repo WHERE workspace_id = \(self.id) AND lower(name) = lower(\(name))",
            on: connection
        ).first
    }

    private func repos(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [Repo] {
        try await self.rows(query, on: connection) { row in
            Repo(
                id: RepoID(rawValue: try row.value("id")),
                name: try row.value("name"),
                path: try row.value("path"),
                createdAt: try row.value("created_at"),
                updatedAt: try row.value("updated_at")
            )
        }
    }

    /// The main agent's id, if the workspace has one.
    private func mainAgentID(on connection: PostgresConnection) async throws -> AgentID? {
        try await self.values(String.self, "SELECT id FROM agent WHERE workspace_id = \(self.id) AND is_main", on: connection)
            .first.map(AgentID.init(rawValue:))
    }

    private func clearMain(now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE agent SET is_main = false, updated_at = \(now) WHERE workspace_id = \(self.id) AND is_main",
            logger: self.logger
        )
    }

    /// Stores `roles` as the agent's, in their order.
    private func replaceRoles(of agent: AgentID, with roles: [String], on connection: PostgresConnection) async throws {
        try await connection.query(
            "DELETE FROM agent_role WHERE workspace_id = \(self.id) AND agent_id = \(agent.rawValue)",
            logger: self.logger
        )
        for (position, role) in roles.enumerated() {
            try await connection.query(
                """
                INSERT INTO agent_role (workspace_id, agent_id, role_name, position)
                VALUES (\(self.id), \(agent.rawValue), \(role), \(Int32(position)))
                ON CONFLICT DO NOTHING
                """,
                logger: self.logger
            )
        }
    }

    /// What goes with agents about to be deleted and is not theirs by a foreign key (SQLite's `SET NULL`): messages,
    /// posts, sessions and the board's rows keep their addresses and lose the agent's id; nothing waits for it any more.
    private func detach(_ agents: [String], on connection: PostgresConnection) async throws {
        guard !agents.isEmpty else { return }
        for statement: PostgresQuery in [
            "UPDATE message SET to_agent_id = NULL WHERE workspace_id = \(self.id) AND to_agent_id = ANY(\(agents))",
            "UPDATE message SET from_agent_id = NULL WHERE workspace_id = \(self.id) AND from_agent_id = ANY(\(agents))",
            "UPDATE channel_post SET from_agent_id = NULL WHERE workspace_id = \(self.id) AND from_agent_id = ANY(\(agents))",
            "UPDATE session SET agent_id = NULL WHERE workspace_id = \(self.id) AND agent_id = ANY(\(agents))",
            "DELETE FROM waiting_mail WHERE workspace_id = \(self.id) AND to_agent_id = ANY(\(agents))",
        ] {
            try await connection.query(statement, logger: self.logger)
        }
        try await self.detachFromBoard(agents, on: connection)
    }

    /// The agent's arguments and persona as their JSON columns.
    private static func agentJSON(_ agent: Agent) throws -> (args: String, persona: String?) {
        let encoder = JSONEncoder()
        return (
            String(decoding: try encoder.encode(agent.args), as: UTF8.self),
            try agent.persona.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        )
    }
}
