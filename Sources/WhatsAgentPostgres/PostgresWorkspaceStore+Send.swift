import Foundation
import PostgresNIO
import WhatsAgentCore

/// A direct send and a broadcast (``MessagingStore/sendDirect(_:decide:)``, ``MessagingStore/broadcast(_:check:)``):
/// one transaction each, under the workspace's lock. PostgreSQL's own group commit shares the disk flushes of
/// concurrent sends; the store does not batch them.
extension PostgresWorkspaceStore {
    package func sendDirect(
        _ request: DirectSendRequest,
        decide: @escaping @Sendable (DirectSendFacts) throws -> DirectSendPlan
    ) async throws -> DirectSendCommit {
        try await self.checkedWrite(request.check) { connection in
            var recipient: Agent?
            if let address = request.recipient { recipient = try await self.agent(at: address, on: connection) }
            var pair: (AgentID, AgentID)?
            if request.readsPeerRules, let sender = request.senderAgentID, let recipient, recipient.id != sender { pair = (sender, recipient.id) }
            let facts = try await self.sendFacts(recipient: recipient, sender: request.senderAgentID, pair: pair, on: connection)
            let plan = try decide(facts)
            var stored: (message: Message, duplicate: Bool)
            var outbox = StoreOutbox()
            if plan.message.state == .queued, let (sender, recipient, limit) = plan.loopGuard {
                let check = LoopGuard.Check(limit: limit, now: plan.message.sentAt, sender: sender, recipient: recipient)
                let guarded = try await self.insertGuardedMessage(plan.message, check: check, on: connection)
                stored = (guarded.message, guarded.duplicate)
                if let hold = guarded.newHold { outbox.watcherEvents.append(.loopHeld(hold)) }
            } else {
                stored = try await self.insertMessage(plan.message, on: connection)
            }
            let message = stored.message
            guard !stored.duplicate else {
                return DirectSendCommit(message: message, duplicate: true, recipientOnline: false, facts: facts, outbox: StoreOutbox())
            }
            outbox.events.append(.message(MessageNotice(message)))
            var online = false
            if let recipient, message.state != .rejected, message.state != .held {
                let push = try await self.planPush(to: recipient, connected: request.connected, now: request.now, on: connection)
                online = push.online
                if let plan = push.plan { outbox.pushes.append(plan) }
            }
            return DirectSendCommit(message: message, duplicate: false, recipientOnline: online, facts: facts, outbox: outbox)
        }
    }

    package func broadcast(_ request: BroadcastRequest, check: @Sendable (BroadcastFacts) throws -> Void) async throws -> BroadcastCommit {
        try await withoutActuallyEscaping(check) { check in
            try await self.checkedWrite(request.check) { connection in
                var muted = false
                if let sender = request.senderAgentID { muted = try await self.isMuted(sender, on: connection) }
                let recipients = try await self.agents(on: connection).filter { $0.id != request.senderAgentID }
                try check(BroadcastFacts(senderMuted: muted, recipients: recipients))
                var outbox = StoreOutbox()
                var deliveries: [(recipient: Agent, message: Message, online: Bool)] = []
                for recipient in recipients {
                    let message = try await self.insertMessage(request.message(to: recipient), on: connection).message
                    outbox.events.append(.message(MessageNotice(message)))
                    deliveries.append((recipient, message, false))
                }
                for index in deliveries.indices {
                    let push = try await self.planPush(
                        to: deliveries[index].recipient,
                        connected: request.connected,
                        now: request.now,
                        on: connection
                    )
                    if let plan = push.plan { outbox.pushes.append(plan) }
                    deliveries[index].online = push.online
                }
                return BroadcastCommit(deliveries: deliveries, outbox: outbox)
            }
        }
    }

    /// Stores a message, in the caller's transaction. With a `clientMessageId` already used by this sender: the same
    /// recipient and body return the original (`duplicate` true); anything else is `idempotency_conflict`. The
    /// workspace's lock makes the lookup and the insert one step; the unique index stands behind it.
    func insertMessage(_ message: Message, on connection: PostgresConnection) async throws -> (message: Message, duplicate: Bool) {
        if let clientID = message.clientMessageID,
            let existing = try await self.messages(
                """
                SELECT \(unescaped: Self.messageColumns) FROM message
                WHERE workspace_id = \(self.id) AND from_address = \(message.fromAddress) AND client_message_id = \(clientID)
                """,
                on: connection
            ).first
        {
            guard existing.toAddress == message.toAddress, existing.body == message.body else {
                throw DomainError.idempotencyConflict(clientID: clientID, original: existing.id)
            }
            return (existing, true)
        }
        let ids = try await self.values(
            Int64.self,
            """
            INSERT INTO message (workspace_id, kind, from_agent_id, from_address, to_agent_id, to_address, thread_id, body, search_text,
                state, rejection, client_message_id, sent_at, deliveries)
            VALUES (\(self.id), \(message.kind), \(message.fromAgentID?.rawValue), \(message.fromAddress), \(message.toAgentID?.rawValue),
                \(message.toAddress), \(message.threadID), \(message.body), \(PostgresSearchText.searchText(message.body)),
                \(message.state.rawValue), \(message.rejection), \(message.clientMessageID), \(message.sentAt), 0)
            RETURNING id
            """,
            on: connection
        )
        guard let id = ids.first else { throw DomainError(.storage, "the message was not stored") }
        if message.state.isWaiting, let recipient = message.toAgentID {
            try await self.countWaiting(recipient, kind: message.kind, by: 1, on: connection)
        }
        var stored = message
        stored.id = id
        (stored.pushedAt, stored.pushPath, stored.surfacedAt, stored.acknowledgedAt, stored.deliveries) = (nil, nil, nil, nil, 0)
        return (stored, false)
    }

    /// Moves the count of `agent`'s waiting mail of `kind` by `delta` (`waiting_mail`), in the caller's transaction.
    func countWaiting(_ agent: AgentID, kind: String, by delta: Int, on connection: PostgresConnection) async throws {
        guard delta != 0 else { return }
        try await connection.query(
            """
            INSERT INTO waiting_mail (workspace_id, to_agent_id, kind, count) VALUES (\(self.id), \(agent.rawValue), \(kind), \(Int32(delta)))
            ON CONFLICT (workspace_id, to_agent_id, kind) DO UPDATE SET count = waiting_mail.count + excluded.count
            """,
            logger: self.logger
        )
    }
}
