import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// Sessions (``SessionStore``): open (one live session per agent, read under the workspace's lock), end, the live
/// ones, a managed session's runner and exit, the summary, the push record.
extension PostgresWorkspaceStore {
    // MARK: - Writes

    package func openSession(
        _ session: LiveSession,
        tokenHash: String,
        replace: Bool,
        now: Date
    ) async throws -> (opened: LiveSession, replaced: LiveSession?) {
        guard let agentID = session.agentID else { throw DomainError.invalidArgument("a session needs an agent") }
        return try await self.write { connection in
            let live = try await self.liveSessions(of: [agentID.rawValue], on: connection).first
            if let live {
                guard replace else { throw DomainError.sessionExists(session, live: live) }
                try await self.end([live], reason: LiveSession.replacedReason, now: now, on: connection)
            }
            try await connection.query(
                """
                INSERT INTO session (workspace_id, id, agent_id, agent_address, kind, token_hash, runtime, mcp_config_path, started_at)
                VALUES (\(self.id), \(session.id.rawValue), \(agentID.rawValue), \(session.agentAddress), \(session.kind.rawValue),
                    \(tokenHash), \(session.runtime), \(session.mcpConfigPath), \(session.startedAt))
                """,
                logger: self.logger
            )
            return (session, live)
        }
    }

    package func endSession(of address: AgentAddress, reason: String, now: Date) async throws -> LiveSession? {
        try await self.write { connection in
            let agent = try await self.agent(at: address, on: connection)
            guard let live = try await self.liveSessions(of: [agent.id.rawValue], on: connection).first else { return nil }
            try await self.end([live], reason: reason, now: now, on: connection)
            return live
        }
    }

    package func setSummary(
        _ summary: String,
        session: SessionID,
        agent: AgentID,
        check: ToolCheck?,
        refuseMuted: @escaping @Sendable () -> DomainError
    ) async throws {
        try await self.checkedWrite(check) { connection in
            if try await self.isMuted(agent, on: connection) { throw refuseMuted() }
            try await connection.query(
                "UPDATE session SET summary = \(summary) WHERE workspace_id = \(self.id) AND id = \(session.rawValue)",
                logger: self.logger
            )
        }
    }

    package func recordRunner(session: SessionID, runnerPID: Int32, childPID: Int32, socket: String) async throws {
        try await self.write(locked: false) { connection in
            _ = try await connection.query(
                """
                UPDATE session SET runner_pid = \(runnerPID), child_pid = \(childPID), runner_socket = \(socket)
                WHERE workspace_id = \(self.id) AND id = \(session.rawValue)
                """,
                logger: self.logger
            )
        }
    }

    package func endManagedSession(_ session: SessionID, exit: SessionExit, now: Date) async throws -> LiveSession? {
        try await self.write { connection in
            guard
                let detail = try await self.sessions(
                    "SELECT \(unescaped: Self.sessionColumns) FROM session WHERE workspace_id = \(self.id) AND id = \(session.rawValue)",
                    on: connection
                ).first
            else { return nil }
            try await connection.query(
                """
                UPDATE session SET ended_at = COALESCE(ended_at, \(now)), end_reason = COALESCE(end_reason, \(exit.reason)),
                    exit_code = \(exit.code), exit_signal = \(exit.signal), exit_tail = \(exit.tail),
                    runner_pid = NULL, child_pid = NULL, runner_socket = NULL
                WHERE workspace_id = \(self.id) AND id = \(session.rawValue)
                """,
                logger: self.logger
            )
            return detail.isLive ? detail.session : nil
        }
    }

    package func updateSessionPush<Outcome: Sendable>(
        _ session: SessionID,
        _ change: @escaping @Sendable (inout SessionPush) -> Outcome
    ) async throws -> (SessionPush, Outcome) {
        try await self.write { connection in
            var push = try await self.sessionPush(of: session, on: connection) ?? SessionPush(sessionID: session)
            let outcome = change(&push)
            try await self.storeSessionPush(push, on: connection)
            return (push, outcome)
        }
    }

    // MARK: - Reads

    package func liveSession(tokenHash: String) async throws -> (LiveSession, Agent)? {
        try await self.read { connection in
            guard
                let detail = try await self.sessions(
                    """
                    SELECT \(unescaped: Self.sessionColumns) FROM session
                    WHERE workspace_id = \(self.id) AND token_hash = \(tokenHash) AND ended_at IS NULL
                    """,
                    on: connection
                ).first,
                let agentID = detail.session.agentID,
                let agent = try await self.agent(id: agentID, on: connection)
            else { return nil }
            return (detail.session, agent)
        }
    }

    package func liveSessionsByAgent() async throws -> [AgentID: LiveSession] {
        var result: [AgentID: LiveSession] = [:]
        for session in try await self.liveSessions() {
            if let agent = session.agentID { result[agent] = session }
        }
        return result
    }

    package func liveSession(of agent: AgentID) async throws -> LiveSession? {
        try await self.liveSessions(of: agent).first
    }

    package func sessionDetail(_ session: SessionID) async throws -> SessionDetail? {
        try await self.read { connection in
            try await self.sessions(
                "SELECT \(unescaped: Self.sessionColumns), exit_tail FROM session WHERE workspace_id = \(self.id) AND id = \(session.rawValue)",
                on: connection
            ).first
        }
    }

    package func latestSessions(withTail: Bool) async throws -> [AgentID: SessionDetail] {
        try await self.read { connection in
            let tail = withTail ? ", exit_tail" : ""
            let details = try await self.sessions(
                """
                SELECT DISTINCT ON (agent_id) \(unescaped: Self.sessionColumns)\(unescaped: tail) FROM session
                WHERE workspace_id = \(self.id) AND agent_id IS NOT NULL
                ORDER BY agent_id, (ended_at IS NULL) DESC, started_at DESC, id DESC
                """,
                on: connection
            )
            var result: [AgentID: SessionDetail] = [:]
            for detail in details {
                if let agent = detail.session.agentID { result[agent] = detail }
            }
            return result
        }
    }

    package func liveManagedSessions() async throws -> [SessionDetail] {
        try await self.read { connection in
            try await self.sessions(
                """
                SELECT \(unescaped: Self.sessionColumns) FROM session
                WHERE workspace_id = \(self.id) AND ended_at IS NULL AND kind = 'managed' ORDER BY started_at
                """,
                on: connection
            )
        }
    }

    package func sessionPushes(_ sessions: [SessionID]) async throws -> [SessionID: SessionPush] {
        guard !sessions.isEmpty else { return [:] }
        return try await self.read { connection in
            Dictionary(try await self.sessionPushes(of: sessions, on: connection).map { ($0.sessionID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    // MARK: Helpers

    /// A session's columns but its exit tail (read only where asked for: it may be 256 KiB).
    static let sessionColumns = """
        id, agent_id, agent_address, kind, started_at, ended_at, end_reason, runtime, summary, mcp_config_path, runner_pid, child_pid,
        runner_socket, exit_code, exit_signal
        """

    /// The sessions of `query` (which selects ``sessionColumns``, and `exit_tail` when it wants it).
    func sessions(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [SessionDetail] {
        try await self.rows(query, on: connection) { row in
            let session = LiveSession(
                id: SessionID(rawValue: try row.value("id")),
                agentID: try row.value("agent_id", as: String?.self).map(AgentID.init(rawValue:)),
                agentAddress: try row.value("agent_address"),
                kind: LiveSession.Kind(rawValue: try row.value("kind")) ?? .external,
                startedAt: try row.value("started_at"),
                runtime: try row.value("runtime"),
                summary: try row.value("summary"),
                mcpConfigPath: try row.value("mcp_config_path")
            )
            var tail: Data?
            if row.contains("exit_tail"), let bytes = try row.value("exit_tail", as: ByteBuffer?.self) {
                tail = Data(bytes.readableBytesView)
            }
            return SessionDetail(
                session: session,
                endedAt: try row.value("ended_at"),
                endReason: try row.value("end_reason"),
                runnerPID: try row.value("runner_pid"),
                childPID: try row.value("child_pid"),
                runnerSocket: try row.value("runner_socket"),
                exitCode: try row.value("exit_code"),
                exitSignal: try row.value("exit_signal"),
                exitTail: tail
            )
        }
    }

    /// The live sessions of `agents` (ids), oldest first, inside the caller's transaction.
    func liveSessions(of agents: [String], on connection: PostgresConnection) async throws -> [LiveSession] {
        try await self.sessions(
            """
            SELECT \(unescaped: Self.sessionColumns) FROM session
            WHERE workspace_id = \(self.id) AND agent_id = ANY(\(agents)) AND ended_at IS NULL ORDER BY started_at
            """,
            on: connection
        ).map(\.session)
    }

    /// Ends `sessions` with `reason`, inside the caller's transaction.
    func end(_ sessions: [LiveSession], reason: String, now: Date, on connection: PostgresConnection) async throws {
        guard !sessions.isEmpty else { return }
        try await connection.query(
            """
            UPDATE session SET ended_at = \(now), end_reason = \(reason)
            WHERE workspace_id = \(self.id) AND id = ANY(\(sessions.map(\.id.rawValue)))
            """,
            logger: self.logger
        )
    }
}
