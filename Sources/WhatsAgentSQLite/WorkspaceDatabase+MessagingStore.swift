import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

/// The SQLite implementation of the messaging use cases (``MessagingStore``): each write method is one
/// `writer.write` — one write transaction, counted by ``WriteTransactionCounter``.
extension WorkspaceDatabase: MessagingStore {
    /// Sends share transactions through group commit (``GroupCommit``).
    public func sendDirect(
        _ request: DirectSendRequest,
        decide: @escaping @Sendable (DirectSendFacts) throws -> DirectSendPlan
    ) async throws -> DirectSendCommit {
        let outcome = try await self.sends.run { db -> Checked<DirectSendCommit> in
            // First, so that a denial commits its audit row alone.
            if let check = request.check, case .denied(let denial) = try check.run(SQLiteCheckRows(db)) {
                return .denied(denial)
            }
            let recipient = try request.recipient.map { try Self.fetchAgent($0, db) }
            var facts = DirectSendFacts(
                recipient: recipient,
                mainAddress: try Self.mainAgentAddress(db),
                senderMuted: false,
                peerRules: .unrestricted
            )
            if let sender = request.senderAgentID {
                facts.senderMuted = try Self.isMuted(sender, db)
                if request.readsPeerRules, let recipient, recipient.id != sender {
                    facts.peerRules = try Self.peerRuleCheck(sender, recipient.id, db)
                }
            }
            let plan = try decide(facts)
            var message: Message
            var duplicate: Bool
            var outbox = StoreOutbox()
            if plan.message.state == .queued, let (sender, recipient, limit) = plan.loopGuard {
                let check = LoopGuard.Check(limit: limit, now: plan.message.sentAt, sender: sender, recipient: recipient)
                let guarded = try Self.insertGuardedMessage(plan.message, check: check, db)
                (message, duplicate) = (guarded.message, guarded.duplicate)
                if let hold = guarded.newHold { outbox.watcherEvents.append(.loopHeld(hold)) }
            } else {
                (message, duplicate) = try Self.insertMessage(plan.message, db)
            }
            guard !duplicate else {
                return .done(DirectSendCommit(message: message, duplicate: true, recipientOnline: false, facts: facts, outbox: StoreOutbox()))
            }
            outbox.events.append(.message(MessageNotice(message)))
            var online = false
            if let recipient, message.state != .rejected, message.state != .held {
                let push = try self.planPush(to: recipient, connected: request.connected, now: request.now, db)
                online = push.online
                if let plan = push.plan { outbox.pushes.append(plan) }
            }
            return .done(DirectSendCommit(message: message, duplicate: false, recipientOnline: online, facts: facts, outbox: outbox))
        }
        return try outcome.get()
    }

    public func broadcast(
        _ request: WhatsAgentCore.BroadcastRequest,
        check: @Sendable (BroadcastFacts) throws -> Void
    ) async throws -> BroadcastCommit {
        try await self.checkedWrite(request.check) { db in
            let muted = try request.senderAgentID.map { try Self.isMuted($0, db) } ?? false
            let recipients = try Self.fetchAgents(db).filter { $0.id != request.senderAgentID }
            try check(BroadcastFacts(senderMuted: muted, recipients: recipients))
            let stored = try Self.insertBroadcast(recipients.map(request.message(to:)), db)
            var outbox = StoreOutbox(events: stored.map { .message(MessageNotice($0)) })
            var deliveries: [(recipient: Agent, message: Message, online: Bool)] = []
            for (recipient, message) in zip(recipients, stored) {
                let push = try self.planPush(to: recipient, connected: request.connected, now: request.now, db)
                if let plan = push.plan { outbox.pushes.append(plan) }
                deliveries.append((recipient, message, push.online))
            }
            return BroadcastCommit(deliveries: deliveries, outbox: outbox)
        }
    }

    public func postToChannel(
        _ request: WhatsAgentCore.ChannelPostRequest,
        decide: @Sendable (ChannelPostFacts) throws -> Void
    ) async throws -> ChannelPostCommit {
        let commit = try await self.checkedWrite(request.check) { db in
            try self.ensureSharedChannel(now: request.now, db)
            let channel: Channel
            var rootID: Int64?
            switch request.target {
            case .channel(let name):
                channel = try Self.channel(named: name, db)
            case .reply(let id):
                guard let parent = try Self.post(id: id, db) else { throw DomainError.channelPostNotFound(id) }
                channel = try Self.channel(named: parent.channelName, db)
                rootID = parent.rootID ?? parent.id
            }
            var facts = ChannelPostFacts(channel: channel, senderMuted: false, senderIsMember: true)
            if let sender = request.senderAgentID {
                facts.senderMuted = try Self.isMuted(sender, db)
                if channel.name != Channel.sharedName {
                    facts.senderIsMember =
                        try Row.fetchOne(
                            db.cachedStatement(sql: "SELECT 1 FROM channelMember WHERE channelId = ? AND agentId = ?"),
                            arguments: [channel.id, sender.rawValue]
                        ) != nil
                }
            }
            try decide(facts)
            let agents = try Self.fetchAgents(db)
            if channel.name == Channel.sharedName {
                for agent in agents { try Self.join(channel.id, agent.id, now: request.now, db) }
            }
            try db.cachedStatement(
                sql: "INSERT INTO channelPost (channelId, fromAgentId, fromAddress, rootId, body, sentAt) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [channel.id, request.senderAgentID?.rawValue, request.fromAddress, rootID, request.body, request.now])
            let post = request.post(id: db.lastInsertedRowID, in: channel, rootID: rootID)
            var outbox = StoreOutbox(events: [.message(MessageNotice(post))])
            let members =
                channel.name == Channel.sharedName
                ? Set(agents.map(\.id))
                : Set(
                    try String.fetchAll(db, sql: "SELECT agentId FROM channelMember WHERE channelId = ?", arguments: [channel.id])
                        .map(AgentID.init(rawValue:))
                )
            for agent in agents where members.contains(agent.id) && agent.id != request.senderAgentID {
                if let plan = try self.planPush(to: agent, connected: request.connected, now: request.now, db).plan {
                    outbox.pushes.append(plan)
                }
            }
            return ChannelPostCommit(post: post, outbox: outbox)
        }
        self.sharedChannelExists.set()
        return commit
    }

    public func leaseInbox(_ request: InboxLeaseRequest) async throws -> InboxLease {
        let lease = try await self.writer.write { db in
            let messages = try Self.leaseMessages(
                for: request.agent,
                session: request.session,
                limit: request.limit,
                leaseID: request.leaseID,
                now: request.now,
                db
            )
            var posts: [ChannelPost] = []
            if messages.count < request.limit {
                try self.ensureSharedChannel(now: request.now, db)
                posts = try Self.leaseUnreadPosts(
                    for: request.agent,
                    leaseID: request.leaseID,
                    limit: request.limit - messages.count,
                    now: request.now,
                    db
                )
            }
            let outbox = StoreOutbox(events: messages.isEmpty ? [] : [.messageState(messageIDs: messages.map(\.wireID), state: .surfaced)])
            return InboxLease(messages: messages, posts: posts, outbox: outbox)
        }
        if lease.messages.count < request.limit { self.sharedChannelExists.set() }
        return lease
    }

    public func acknowledge(lease leaseID: String, agent: AgentID, now: Date) async throws -> LeaseAcknowledgement {
        try await self.acknowledgeLease(leaseID, agent: agent, now: now)
    }

    public func preparePushes(to agents: [AgentID], connected: Set<SessionID>, now: Date) async throws -> [PushPlan] {
        guard !agents.isEmpty else { return [] }
        let plans = try await self.writer.write { db in
            try self.ensureSharedChannel(now: now, db)
            var plans: [PushPlan] = []
            for id in agents {
                guard let agent = try Self.fetchAgents(db, where: "agent.id = ?", arguments: [id.rawValue]).first else { continue }
                if let plan = try self.planPush(to: agent, connected: connected, now: now, db).plan { plans.append(plan) }
            }
            return plans
        }
        self.sharedChannelExists.set()
        return plans
    }

    public func revertPushMarks(_ plan: PushPlan) async throws {
        guard !plan.markedIDs.isEmpty || plan.recordedPush != nil else { return }
        try await self.writer.write { db in
            // Only while this hint is still the session's last push (compared in SQL: a stored date keeps milliseconds).
            if let recorded = plan.recordedPush,
                try Row.fetchOne(
                    db,
                    sql: "SELECT 1 FROM sessionPush WHERE sessionId = ? AND lastPushAt = ? AND lastPushPath = ?",
                    arguments: [plan.session.rawValue, recorded.lastPushAt, recorded.lastPushPath?.rawValue]
                ) != nil
            {
                if let before = plan.recordBefore {
                    try Self.storeSessionPush(before, db)
                } else {
                    try db.execute(sql: "DELETE FROM sessionPush WHERE sessionId = ?", arguments: [plan.session.rawValue])
                }
            }
            guard !plan.markedIDs.isEmpty else { return }
            let placeholders = plan.markedIDs.map { _ in "?" }.joined(separator: ",")
            var arguments: [any DatabaseValueConvertible] = [plan.markedAt, plan.path.rawValue]
            arguments += plan.markedIDs
            try db.execute(
                sql: """
                    UPDATE message SET state = 'queued', pushedAt = NULL, pushPath = NULL
                    WHERE state = 'pushed' AND pushedAt = ? AND pushPath = ? AND id IN (\(placeholders))
                    """,
                arguments: StatementArguments(arguments)
            )
        }
    }

    public func runCheck(_ check: ToolCheck, facts: AuthorizationFacts) async throws -> ToolCheck.Outcome {
        try await self.writer.write { db in try check.run(SQLiteCheckRows(db), facts: facts) }
    }

    public func recordAudit(_ entry: AuditEntry) async throws {
        _ = try await self.appendAudit(entry)
    }

    public func humanConversation(peer: String?, limit: Int, now: Date, broadcasts: Bool) async throws -> [Message] {
        try await self.humanMessages(peer: peer, limit: limit, now: now, broadcasts: broadcasts)
    }

    public func agent(at address: AgentAddress) async throws -> Agent {
        try await self.agent(address)
    }

    public func loopHolds() async throws -> [LoopHold] {
        try await self.activeHolds()
    }

    public func releaseLoopHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int) {
        try await self.releaseHold(first, second, now: now)
    }

    // MARK: Helpers

    /// Inside the caller's transaction: whether `agent`'s live session is connected, and if it is and its pushes are
    /// on, the hint counting everything waiting for it and naming the newest (``MailSummary``), with its queued
    /// messages marked pushed by its path (path `none` marks nothing).
    private func planPush(to agent: Agent, connected: Set<SessionID>, now: Date, _ db: Database) throws -> (online: Bool, plan: PushPlan?) {
        guard let session = try Self.liveSessions(db, sql: "agentId = ?", arguments: [agent.id.rawValue]).first,
            connected.contains(session.id)
        else { return (false, nil) }
        // Pushes paused (`agent set --push off`): mail still waits and check_messages returns it.
        guard agent.pushEnabled else { return (true, nil) }
        // Counts and the newest ids only (issue 21): the hint does not grow with the backlog.
        let summary = try MailSummary.read(for: agent.id, db)
        let record = try Self.sessionPush(of: session.id, db)
        guard var plan = PushPlan.draft(to: agent, session: session.id, summary: summary, record: record, now: now) else { return (true, nil) }
        if plan.path != .none {
            plan.markedIDs = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM message WHERE toAgentId = ? AND state = 'queued' ORDER BY id"),
                arguments: [agent.id.rawValue]
            )
            if !plan.markedIDs.isEmpty {
                try db.cachedStatement(
                    sql: "UPDATE message SET state = 'pushed', pushedAt = ?, pushPath = ? WHERE toAgentId = ? AND state = 'queued'"
                ).execute(arguments: [now, plan.path.rawValue, agent.id.rawValue])
            }
        }
        if let recorded = plan.recordedPush { try Self.storeSessionPush(recorded, db) }
        return (true, plan)
    }
}
