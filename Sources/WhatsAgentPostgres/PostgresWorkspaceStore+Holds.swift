import Foundation
import PostgresNIO
import WhatsAgentCore

/// The loop guard's holds (``LoopGuard``): a guarded send inside its transaction, the active holds, a release.
extension PostgresWorkspaceStore {
    package func loopHolds() async throws -> [LoopHold] {
        try await self.read { connection in
            let rows = try await self.rows(
                """
                SELECT id, low_agent_id, high_agent_id, low_address, high_address, held_at, released_at FROM loop_hold
                WHERE workspace_id = \(self.id) AND released_at IS NULL ORDER BY id
                """,
                on: connection,
                Self.holdRow
            )
            var holds: [LoopHold] = []
            for row in rows { holds.append(try await self.hold(row, on: connection)) }
            return holds
        }
    }

    package func releaseLoopHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int) {
        try await self.write { connection in
            let pair = LoopGuard.Pair(first, second)
            guard
                let row = try await self.rows(
                    """
                    SELECT id, low_agent_id, high_agent_id, low_address, high_address, held_at, released_at FROM loop_hold
                    WHERE workspace_id = \(self.id) AND low_agent_id = \(pair.low.id.rawValue) AND high_agent_id = \(pair.high.id.rawValue)
                        AND released_at IS NULL
                    """,
                    on: connection,
                    Self.holdRow
                ).first
            else { throw DomainError.notHeld(first, second) }
            var released = try await self.hold(row, on: connection)
            try await connection.query(
                "UPDATE loop_hold SET released_at = \(now) WHERE workspace_id = \(self.id) AND id = \(row.id)",
                logger: self.logger
            )
            let thread = Message.directThread(first.address.description, second.address.description)
            let queued = try await self.values(
                String.self,
                """
                UPDATE message SET state = 'queued'
                WHERE workspace_id = \(self.id) AND state = 'held' AND thread_id = \(thread) AND kind = 'direct'
                RETURNING to_agent_id
                """,
                on: connection
            )
            for (agent, count) in Dictionary(grouping: queued, by: { $0 }).mapValues(\.count) {
                try await self.countWaiting(AgentID(rawValue: agent), kind: "direct", by: count, on: connection)
            }
            released.releasedAt = now
            released.messages = []
            return (released, queued.count)
        }
    }

    /// Stores a direct message from one agent to another under the loop guard, in the caller's transaction: when the
    /// pair is held, or this message takes it to `check.limit` messages in the window, it is stored `held` (and, the
    /// first time, the hold is created and the alert to human-web stored). An idempotent repeat returns the original.
    func insertGuardedMessage(
        _ message: Message,
        check: LoopGuard.Check,
        on connection: PostgresConnection
    ) async throws -> (message: Message, duplicate: Bool, newHold: LoopHold?) {
        if message.clientMessageID != nil {
            let repeated = try await self.insertMessageIfRepeated(message, on: connection)
            if let repeated { return (repeated, true, nil) }
        }
        let pair = LoopGuard.Pair(check.sender, check.recipient)
        var draft = message
        var newHold: LoopHold?
        if try await self.isHeld(pair, on: connection) {
            draft.state = .held
        } else if try await self.pairCount(pair, thread: message.threadID, now: check.now, upTo: check.limit, on: connection) >= check.limit {
            draft.state = .held
            let ids = try await self.values(
                Int64.self,
                """
                INSERT INTO loop_hold (workspace_id, low_agent_id, high_agent_id, low_address, high_address, held_at)
                VALUES (\(self.id), \(pair.low.id.rawValue), \(pair.high.id.rawValue), \(pair.low.address.description),
                    \(pair.high.address.description), \(check.now))
                RETURNING id
                """,
                on: connection
            )
            guard let id = ids.first else { throw DomainError(.storage, "the loop guard's hold was not stored") }
            let hold = pair.hold(id: id, at: check.now)
            _ = try await self.insertMessage(LoopGuard.alertMessage(hold, limit: check.limit, now: check.now), on: connection)
            newHold = hold
        }
        let stored = try await self.insertMessage(draft, on: connection)
        return (stored.message, stored.duplicate, newHold)
    }

    // MARK: Helpers

    /// The original of a repeated send (the same sender's `clientMessageId`), whatever the guard says now; nil for a
    /// new one. Throws `idempotency_conflict` as ``insertMessage(_:on:)`` does.
    private func insertMessageIfRepeated(_ message: Message, on connection: PostgresConnection) async throws -> Message? {
        guard let clientID = message.clientMessageID else { return nil }
        let used = try await self.values(
            Int64.self,
            """
            SELECT id FROM message WHERE workspace_id = \(self.id) AND from_address = \(message.fromAddress)
                AND client_message_id = \(clientID)
            """,
            on: connection
        )
        guard !used.isEmpty else { return nil }
        return try await self.insertMessage(message, on: connection).message
    }

    private func isHeld(_ pair: LoopGuard.Pair, on connection: PostgresConnection) async throws -> Bool {
        let active = try await self.values(
            Int64.self,
            """
            SELECT id FROM loop_hold WHERE workspace_id = \(self.id) AND low_agent_id = \(pair.low.id.rawValue)
                AND high_agent_id = \(pair.high.id.rawValue) AND released_at IS NULL
            """,
            on: connection
        )
        return !active.isEmpty
    }

    /// Messages the pair exchanged (both directions, not rejected) since ``LoopGuard/countingStart(now:lastRelease:lastHuman:)``,
    /// counted up to `limit` only (the guard asks whether the limit is reached).
    private func pairCount(_ pair: LoopGuard.Pair, thread: String, now: Date, upTo limit: Int, on connection: PostgresConnection) async throws -> Int
    {
        let windowStart = now.addingTimeInterval(-LoopGuard.window)
        let human = MessageSender.humanAddress
        let (low, high) = (pair.low.address.description, pair.high.address.description)
        // The pair's last release, and the last message between the human and either agent: direct messages either
        // way (their threads, on message_thread_window) and the human's broadcasts to either (on message_sender_window).
        var since = windowStart
        for try await (lastRelease, lastDirect, lastBroadcast) in try await connection.query(
            """
            SELECT
                (SELECT MAX(released_at) FROM loop_hold WHERE workspace_id = \(self.id) AND low_agent_id = \(pair.low.id.rawValue)
                    AND high_agent_id = \(pair.high.id.rawValue)),
                (SELECT MAX(sent_at) FROM message WHERE workspace_id = \(self.id) AND thread_id IN (\(pair.humanThreads[0]), \(pair.humanThreads[1]))
                    AND sent_at > \(windowStart) AND state <> 'rejected'),
                (SELECT MAX(sent_at) FROM message WHERE workspace_id = \(self.id) AND from_address = \(human) AND sent_at > \(windowStart)
                    AND kind = 'broadcast' AND to_address IN (\(low), \(high)) AND state <> 'rejected')
            """,
            logger: self.logger
        ).decode((Date?, Date?, Date?).self) {
            since = LoopGuard.countingStart(now: now, lastRelease: lastRelease, lastHuman: [lastDirect, lastBroadcast])
        }
        return try await self.values(
            Int.self,
            """
            SELECT COUNT(*)::int8 FROM (
                SELECT 1 FROM message WHERE workspace_id = \(self.id) AND thread_id = \(thread) AND kind = 'direct' AND state <> 'rejected'
                    AND sent_at > \(since) LIMIT \(limit)
            ) AS counted
            """,
            on: connection
        ).first ?? 0
    }

    /// A `loop_hold` row as read.
    private struct HoldRow: Sendable {
        var id: Int64
        var low: (id: AgentID, address: String)
        var high: (id: AgentID, address: String)
        var heldAt: Date
        var releasedAt: Date?
    }

    private static func holdRow(_ row: PostgresRandomAccessRow) throws -> HoldRow {
        HoldRow(
            id: try row.value("id"),
            low: (AgentID(rawValue: try row.value("low_agent_id")), try row.value("low_address")),
            high: (AgentID(rawValue: try row.value("high_agent_id")), try row.value("high_address")),
            heldAt: try row.value("held_at"),
            releasedAt: try row.value("released_at")
        )
    }

    /// The hold of `row` with the messages it still holds, oldest first.
    private func hold(_ row: HoldRow, on connection: PostgresConnection) async throws -> LoopHold {
        let messages = try await self.messages(
            """
            SELECT \(unescaped: Self.messageColumns) FROM message
            WHERE workspace_id = \(self.id) AND thread_id = \(Message.directThread(row.low.address, row.high.address)) AND kind = 'direct'
                AND state = 'held'
            ORDER BY id
            """,
            on: connection
        )
        return LoopHold(id: row.id, low: row.low, high: row.high, heldAt: row.heldAt, releasedAt: row.releasedAt, messages: messages)
    }
}
