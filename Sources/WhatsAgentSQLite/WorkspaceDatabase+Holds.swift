import Foundation
import GRDB
import WhatsAgentCore

/// The loop guard's holds (``LoopGuard``). Every method is one transaction.
extension WorkspaceDatabase {
    /// Stores a direct message from one agent to another under the loop guard: when the pair is held, or this message
    /// takes it past `check.limit` messages in the window, the message is stored `held` (and, the first time, the hold
    /// is created and the alert to human-web stored). Idempotent repeats return the original untouched.
    /// - Returns: the stored message, whether it was a repeat, and the hold this send created (nil if none or it
    ///   already existed).
    func insertGuardedMessage(
        _ message: Message,
        check: LoopGuard.Check
    ) async throws -> (message: Message, duplicate: Bool, newHold: LoopHold?) {
        try await self.writer.write { db in try Self.insertGuardedMessage(message, check: check, db) }
    }

    /// ``insertGuardedMessage(_:check:)`` inside the caller's transaction.
    static func insertGuardedMessage(
        _ message: Message,
        check: LoopGuard.Check,
        _ db: Database
    ) throws -> (message: Message, duplicate: Bool, newHold: LoopHold?) {
        if let clientID = message.clientMessageID,
            try MessageRecord.filter(sql: "fromAddress = ? AND clientMessageId = ?", arguments: [message.fromAddress, clientID])
                .fetchCount(db) > 0
        {
            // A repeat: the original comes back untouched (or the conflict is thrown), whatever the guard says now.
            let (original, _) = try Self.insertMessage(message, db)
            return (original, true, nil)
        }
        let pair = LoopGuard.Pair(check.sender, check.recipient)
        var draft = message
        var newHold: LoopHold?
        if try Self.activeHoldID(pair, db) != nil {
            draft.state = .held
        } else if try Self.pairCount(pair, thread: message.threadID, now: check.now, upTo: check.limit, db) >= check.limit {
            draft.state = .held
            let hold = try Self.createHold(pair, now: check.now, db)
            _ = try Self.insertMessage(LoopGuard.alertMessage(hold, limit: check.limit, now: check.now), db)
            newHold = hold
        }
        let (stored, duplicate) = try Self.insertMessage(draft, db)
        return (stored, duplicate, newHold)
    }

    /// The active holds, oldest first, each with its held messages.
    func activeHolds() async throws -> [LoopHold] {
        try await self.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM loopHold WHERE releasedAt IS NULL ORDER BY id").map { try Self.hold($0, db) }
        }
    }

    /// Releases the active hold between two agents: its held messages become queued (their order is their ids), and
    /// the release time restarts the pair's counting window.
    /// - Returns: the released hold and how many messages it released.
    /// - Throws: `not_found` when the pair is not held.
    package func releaseHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int) {
        try await self.writer.write { db in
            let pair = LoopGuard.Pair(first, second)
            guard let id = try Self.activeHoldID(pair, db),
                let row = try Row.fetchOne(db, sql: "SELECT * FROM loopHold WHERE id = ?", arguments: [id])
            else { throw DomainError.notHeld(first, second) }
            let held = try Self.hold(row, db)
            try db.execute(sql: "UPDATE loopHold SET releasedAt = ? WHERE id = ?", arguments: [now, id])
            let thread: StatementArguments = [Message.directThread(first.address.description, second.address.description)]
            try Self.countWaiting(rows: "state = 'held' AND threadId = ? AND kind = 'direct'", arguments: thread, sign: 1, db)
            try db.execute(sql: "UPDATE message SET state = 'queued' WHERE state = 'held' AND threadId = ? AND kind = 'direct'", arguments: thread)
            var released = held
            released.releasedAt = now
            released.messages = []
            return (released, db.changesCount)
        }
    }

    // MARK: Helpers

    private static func activeHoldID(_ pair: LoopGuard.Pair, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: "SELECT id FROM loopHold WHERE lowAgentId = ? AND highAgentId = ? AND releasedAt IS NULL",
            arguments: [pair.low.id.rawValue, pair.high.id.rawValue]
        )
    }

    /// Messages the pair exchanged (both directions, not rejected) since the latest of: the window's start, the
    /// pair's last release, and the last message between the human and either agent — counted up to `limit` only:
    /// the guard asks whether the limit is reached, and counting a busy pair's whole window made every send cost
    /// time in proportion to the pair's traffic.
    private static func pairCount(_ pair: LoopGuard.Pair, thread: String, now: Date, upTo limit: Int, _ db: Database) throws -> Int {
        let windowStart = now.addingTimeInterval(-LoopGuard.window)
        let lastRelease = try Date.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(releasedAt) FROM loopHold WHERE lowAgentId = ? AND highAgentId = ?"),
            arguments: [pair.low.id.rawValue, pair.high.id.rawValue]
        )
        let human = MessageSender.humanAddress
        let (low, high) = (pair.low.address.description, pair.high.address.description)
        // The last message between the human and either agent: direct messages either way (their threads, on the
        // `(threadId, sentAt)` index), and the human's broadcasts to either (on `(fromAddress, sentAt)`). Two
        // queries, so that each reads only its index range of the window rather than every message in it.
        let lastHumanDirect = try Date.fetchOne(
            db.cachedStatement(
                sql: "SELECT MAX(sentAt) FROM message WHERE threadId IN (?, ?) AND sentAt > ? AND state != 'rejected'"
            ),
            arguments: [pair.humanThreads[0], pair.humanThreads[1], windowStart]
        )
        let lastHumanBroadcast = try Date.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT MAX(sentAt) FROM message
                    WHERE fromAddress = ? AND sentAt > ? AND kind = 'broadcast' AND toAddress IN (?, ?) AND state != 'rejected'
                    """
            ),
            arguments: [human, windowStart, low, high]
        )
        let since = LoopGuard.countingStart(now: now, lastRelease: lastRelease, lastHuman: [lastHumanDirect, lastHumanBroadcast])
        return try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COUNT(*) FROM (
                        SELECT 1 FROM message WHERE threadId = ? AND kind = 'direct' AND state != 'rejected' AND sentAt > ? LIMIT ?
                    )
                    """
            ),
            arguments: [thread, since, limit]
        ) ?? 0
    }

    private static func createHold(_ pair: LoopGuard.Pair, now: Date, _ db: Database) throws -> LoopHold {
        try db.execute(
            sql: "INSERT INTO loopHold (lowAgentId, highAgentId, lowAddress, highAddress, heldAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [pair.low.id.rawValue, pair.high.id.rawValue, pair.low.address.description, pair.high.address.description, now]
        )
        return pair.hold(id: db.lastInsertedRowID, at: now)
    }

    private static func hold(_ row: Row, _ db: Database) throws -> LoopHold {
        let low: String = row["lowAddress"]
        let high: String = row["highAddress"]
        let messages = try MessageRecord.filter(
            sql: "threadId = ? AND kind = 'direct' AND state = 'held'",
            arguments: [Message.directThread(low, high)]
        ).order(sql: "id").fetchAll(db).map(\.domain)
        return LoopHold(
            id: row["id"],
            low: (AgentID(rawValue: row["lowAgentId"]), low),
            high: (AgentID(rawValue: row["highAgentId"]), high),
            heldAt: row["heldAt"],
            releasedAt: row["releasedAt"],
            messages: messages
        )
    }
}
