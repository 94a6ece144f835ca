import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

extension WorkspaceDatabase {
    // MARK: - Writes

    /// Reads `session`'s push record (a fresh one when none is stored), applies `change` and stores it. One
    /// transaction. Returns the record and what `change` returned.
    package func updateSessionPush<Outcome: Sendable>(
        _ session: SessionID,
        _ change: @escaping @Sendable (inout SessionPush) -> Outcome
    ) async throws -> (SessionPush, Outcome) {
        try await self.writer.write { db in
            var push =
                try Row.fetchOne(db, sql: "SELECT * FROM sessionPush WHERE sessionId = ?", arguments: [session.rawValue])
                .map(Self.sessionPush) ?? SessionPush(sessionID: session)
            let outcome = change(&push)
            try Self.storeSessionPush(push, db)
            return (push, outcome)
        }
    }

    /// Inside the caller's transaction: stores `push` as its session's record (replacing the one stored).
    static func storeSessionPush(_ push: SessionPush, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO sessionPush (sessionId, inboxSubscribed, path, pathReason, lastPushAt, lastPushPath,
                    unconfirmedSince, lastConfirmedAt, lastConfirmedPath)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            push.sessionID.rawValue, push.inboxSubscribed, push.path?.rawValue, push.pathReason, push.lastPushAt,
            push.lastPushPath?.rawValue, push.unconfirmedSince, push.lastConfirmedAt, push.lastConfirmedPath?.rawValue,
        ])
    }

    /// Inside the caller's transaction: `session`'s push record (nil: none stored).
    static func sessionPush(of session: SessionID, _ db: Database) throws -> SessionPush? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM sessionPush WHERE sessionId = ?"),
            arguments: [session.rawValue]
        ).map(Self.sessionPush)
    }

    // MARK: - Reads

    /// The push records of `sessions` that have one.
    package func sessionPushes(_ sessions: [SessionID]) async throws -> [SessionID: SessionPush] {
        guard !sessions.isEmpty else { return [:] }
        return try await self.writer.read { db in
            let marks = Array(repeating: "?", count: sessions.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM sessionPush WHERE sessionId IN (\(marks))",
                arguments: StatementArguments(sessions.map(\.rawValue))
            )
            return Dictionary(rows.map(Self.sessionPush).map { ($0.sessionID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Inside the caller's transaction: the path `agent`'s pushes to `session` take now (``AgentPushStatus/path(agent:push:)``),
    /// which a message marked pushed records.
    static func pushPath(of agent: Agent, session: SessionID, _ db: Database) throws -> MessagePushPath {
        AgentPushStatus.path(agent: agent, push: try Self.sessionPush(of: session, db))
    }

    static func sessionPush(_ row: Row) -> SessionPush {
        var push = SessionPush(sessionID: SessionID(rawValue: row["sessionId"]))
        push.inboxSubscribed = row["inboxSubscribed"]
        push.path = (row["path"] as String?).flatMap(MessagePushPath.init(rawValue:))
        push.pathReason = row["pathReason"]
        push.lastPushAt = row["lastPushAt"]
        push.lastPushPath = (row["lastPushPath"] as String?).flatMap(MessagePushPath.init(rawValue:))
        push.unconfirmedSince = row["unconfirmedSince"]
        push.lastConfirmedAt = row["lastConfirmedAt"]
        push.lastConfirmedPath = (row["lastConfirmedPath"] as String?).flatMap(MessagePushPath.init(rawValue:))
        return push
    }
}
