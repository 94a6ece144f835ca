import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Stores a message. With a `clientMessageId` already used by this sender: the same recipient and body return
    /// the original (`duplicate` true); anything else is `idempotency_conflict`. One transaction.
    func insertMessage(_ message: Message) async throws -> (message: Message, duplicate: Bool) {
        try await self.writer.write { db in try Self.insertMessage(message, db) }
    }

    static func insertMessage(_ message: Message, _ db: Database) throws -> (message: Message, duplicate: Bool) {
        if let clientID = message.clientMessageID,
            let existing = try MessageRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM message WHERE fromAddress = ? AND clientMessageId = ?"),
                arguments: [message.fromAddress, clientID]
            )
        {
            guard existing.toAddress == message.toAddress, existing.body == message.body else {
                throw DomainError.idempotencyConflict(clientID: clientID, original: existing.id ?? 0)
            }
            return (existing.domain, true)
        }
        // A cached statement with the values bound directly: the record's Codable encoding and GRDB's generated
        // INSERT were a measurable part of every send (the same columns, in the same storage formats).
        try db.cachedStatement(
            sql: """
                INSERT INTO message (kind, fromAgentId, fromAddress, toAgentId, toAddress, threadId, body, state, rejection,
                                     clientMessageId, sentAt, deliveries)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                """
        ).execute(arguments: [
            message.kind, message.fromAgentID?.rawValue, message.fromAddress, message.toAgentID?.rawValue, message.toAddress,
            message.threadID, message.body, message.state.rawValue, message.rejection, message.clientMessageID, message.sentAt,
        ])
        if message.state.isWaiting { try Self.countWaiting(message.toAgentID?.rawValue, kind: message.kind, by: 1, db) }
        var stored = message
        stored.id = db.lastInsertedRowID
        (stored.pushedAt, stored.pushPath, stored.surfacedAt, stored.acknowledgedAt, stored.deliveries) = (nil, nil, nil, nil, 0)
        return (stored, false)
    }

    /// Whether the human muted the agent (read fresh: a mute takes effect on the next send).
    package func isMuted(_ agent: AgentID) async throws -> Bool {
        try await self.writer.read { db in try Self.isMuted(agent, db) }
    }

    static func isMuted(_ agent: AgentID, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT muted FROM agent WHERE id = ?"), arguments: [agent.rawValue]) ?? false
    }

    /// Messages waiting for `agent` (not yet acknowledged), oldest first.
    package func waitingMessages(for agent: AgentID) async throws -> [Message] {
        try await self.writer.read { db in
            try MessageRecord.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM message WHERE toAgentId = ? AND state IN \(Message.State.waitingSQL) ORDER BY id"),
                arguments: [agent.rawValue]
            )
            .map(\.domain)
        }
    }

    /// What a mail hint names of each waiting message, oldest first. No bodies and no Codable decoding: a push follows
    /// every send and lists everything still waiting, so this runs once per message over the recipient's backlog.
    func waitingMail(for agent: AgentID) async throws -> [WaitingMail] {
        try await self.writer.read { db in try Self.waitingMail(for: agent, db) }
    }

    static func waitingMail(for agent: AgentID, _ db: Database) throws -> [WaitingMail] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, kind, fromAddress, threadId, state FROM message
                    WHERE toAgentId = ? AND state IN \(Message.State.waitingSQL) ORDER BY id
                    """
            ),
            arguments: [agent.rawValue]
        )
        .map { row in
            WaitingMail(
                id: row[0],
                kind: row[1],
                fromAddress: row[2],
                threadID: row[3],
                isQueued: row[4] == Message.State.queued.rawValue
            )
        }
    }

    /// Marks queued messages as pushed by `path` (a hint went out to the recipient by that path). Returns the ids that
    /// were still queued (a concurrent `check_messages` may have surfaced some meanwhile: they stay surfaced).
    func markPushed(_ ids: [Int64], path: String, now: Date) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try await self.writer.write { db in
            let placeholders = ids.map { _ in "?" }.joined(separator: ",")
            let queued = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM message WHERE state = 'queued' AND id IN (\(placeholders)) ORDER BY id",
                arguments: StatementArguments(ids)
            )
            guard !queued.isEmpty else { return [] }
            var arguments: [any DatabaseValueConvertible] = [now, path]
            arguments += ids
            try db.execute(
                sql: "UPDATE message SET state = 'pushed', pushedAt = ?, pushPath = ? WHERE state = 'queued' AND id IN (\(placeholders))",
                arguments: StatementArguments(arguments)
            )
            return queued
        }
    }

    /// Leases up to `limit` waiting messages of `agent` to `session` under `leaseID` and marks them surfaced (SPEC
    /// §7.2), in the same transaction. Messages surfaced before and never acknowledged are returned again (their
    /// `deliveries` shows it) and stay surfaced, with the new time. Returns them as they were before this lease.
    func leaseMessages(for agent: AgentID, session: SessionID, limit: Int, leaseID: String, now: Date) async throws -> [Message] {
        try await self.writer.write { db in try Self.leaseMessages(for: agent, session: session, limit: limit, leaseID: leaseID, now: now, db) }
    }

    static func leaseMessages(
        for agent: AgentID,
        session: SessionID,
        limit: Int,
        leaseID: String,
        now: Date,
        _ db: Database
    ) throws -> [Message] {
        let records = try MessageRecord.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM message WHERE toAgentId = ? AND state IN \(Message.State.waitingSQL) ORDER BY id LIMIT ?"),
            arguments: [agent.rawValue, limit]
        )
        let update = try db.cachedStatement(
            sql: """
                UPDATE message SET leaseId = ?, leaseSessionId = ?, deliveries = deliveries + 1, state = 'surfaced',
                                   surfacedAt = ?
                WHERE id = ?
                """
        )
        for record in records {
            try update.execute(arguments: [leaseID, session.rawValue, now, record.id])
        }
        return records.map(\.domain)
    }

    /// Direct messages to or from human-web (with `peer`, only that conversation), newest `limit`, oldest first. A
    /// send of the human that was refused is not part of a conversation (the human was told at once). With
    /// `broadcasts`, broadcasts too (the human's and the agents'; with `peer`, that agent's), one row per broadcast:
    /// its first recipient's. Messages to the human among them become surfaced and acknowledged at once: the human has now
    /// seen them. One
    /// transaction.
    func humanMessages(peer: String?, limit: Int, now: Date, broadcasts: Bool = false) async throws -> [Message] {
        try await self.writer.write { db in
            var condition = "(fromAddress = 'human-web' OR toAddress = 'human-web') AND kind = 'direct'"
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let peer {
                condition += " AND (fromAddress = ? OR toAddress = ?)"
                arguments += [peer, peer]
            }
            condition = "(\(condition)) AND NOT (fromAddress = 'human-web' AND state = 'rejected')"
            if broadcasts {
                var broadcast = "kind = 'broadcast' AND id IN (SELECT MIN(id) FROM message WHERE kind = 'broadcast' GROUP BY threadId)"
                if let peer {
                    broadcast += " AND fromAddress = ?"
                    arguments.append(peer)
                }
                condition = "(\(condition)) OR (\(broadcast))"
            }
            let records = try MessageRecord.filter(sql: condition, arguments: StatementArguments(arguments))
                .order(sql: "id DESC").limit(limit).fetchAll(db)
            var result: [Message] = []
            for record in records.reversed() {
                guard let read = record.domain.readByHuman(now: now) else {
                    result.append(record.domain)
                    continue
                }
                try db.execute(
                    sql: "UPDATE message SET state = 'acknowledged', surfacedAt = ?, deliveredAt = ? WHERE id = ?",
                    arguments: [read.surfacedAt, read.acknowledgedAt, read.id]
                )
                result.append(read)
            }
            return result
        }
    }

    func message(id: Int64) async throws -> Message? {
        try await self.writer.read { db in try MessageRecord.fetchOne(db, key: id)?.domain }
    }
}
