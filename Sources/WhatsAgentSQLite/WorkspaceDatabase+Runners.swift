import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Stores the runner of a managed session once it listens.
    package func recordRunner(session: SessionID, runnerPID: Int32, childPID: Int32, socket: String) async throws {
        try await self.writer.write { db in
            try db.execute(
                sql: "UPDATE session SET runnerPid = ?, childPid = ?, runnerSocket = ? WHERE id = ?",
                arguments: [runnerPID, childPID, socket, session.rawValue]
            )
        }
    }

    /// Ends a managed session with how its child ended. When the session had already ended (forced removal, a stop
    /// racing the exit), the original reason stays and only the exit code, signal and tail are added. Returns the
    /// session when this call ended it.
    package func endManagedSession(_ session: SessionID, exit: SessionExit, now: Date) async throws -> LiveSession? {
        try await self.writer.write { db in
            guard let record = try SessionRecord.fetchOne(db, key: session.rawValue) else { return nil }
            try db.execute(
                sql: """
                    UPDATE session SET endedAt = COALESCE(endedAt, ?), endReason = COALESCE(endReason, ?),
                        exitCode = ?, exitSignal = ?, exitTail = ?, runnerPid = NULL, childPid = NULL, runnerSocket = NULL
                    WHERE id = ?
                    """,
                arguments: [now, exit.reason, exit.code, exit.signal, exit.tail, session.rawValue]
            )
            return record.endedAt == nil ? record.liveSession : nil
        }
    }

    /// One session with its runner and exit columns.
    package func sessionDetail(_ session: SessionID) async throws -> SessionDetail? {
        try await self.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [session.rawValue]).map(Self.detail)
        }
    }

    /// Each agent's live session, else its most recent one (with the tail only when `withTail`).
    package func latestSessions(withTail: Bool) async throws -> [AgentID: SessionDetail] {
        try await self.writer.read { db in
            let listed =
                "id, agentId, agentAddress, kind, startedAt, endedAt, endReason, runtime, summary, mcpConfigPath, "
                + "runnerPid, childPid, runnerSocket, exitCode, exitSignal"
            let columns = withTail ? "*" : listed
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM session s WHERE agentId IS NOT NULL AND s.rowid = (
                        SELECT rowid FROM session t WHERE t.agentId = s.agentId
                        ORDER BY (t.endedAt IS NULL) DESC, t.startedAt DESC, t.rowid DESC LIMIT 1)
                    """
            )
            var result: [AgentID: SessionDetail] = [:]
            for row in rows {
                let detail = Self.detail(row)
                if let agent = detail.session.agentID { result[agent] = detail }
            }
            return result
        }
    }

    /// The live managed sessions (re-adoption at start).
    package func liveManagedSessions() async throws -> [SessionDetail] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session WHERE endedAt IS NULL AND kind = 'managed' ORDER BY startedAt")
                .map(Self.detail)
        }
    }

    static func detail(_ row: Row) -> SessionDetail {
        let session = LiveSession(
            id: SessionID(rawValue: row["id"]),
            agentID: (row["agentId"] as String?).map(AgentID.init(rawValue:)),
            agentAddress: row["agentAddress"],
            kind: LiveSession.Kind(rawValue: row["kind"] as String? ?? "") ?? .external,
            startedAt: row["startedAt"],
            runtime: row["runtime"],
            summary: row["summary"],
            mcpConfigPath: row["mcpConfigPath"]
        )
        return SessionDetail(
            session: session,
            endedAt: row["endedAt"],
            endReason: row["endReason"],
            runnerPID: (row["runnerPid"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            childPID: (row["childPid"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            runnerSocket: row["runnerSocket"],
            exitCode: (row["exitCode"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            exitSignal: (row["exitSignal"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
            exitTail: row.hasColumn("exitTail") ? row["exitTail"] : nil
        )
    }
}
