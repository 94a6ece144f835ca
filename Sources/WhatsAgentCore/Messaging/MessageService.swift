import Foundation
import WhatsAgentAPI

/// The outcome of a send.
public struct SendOutcome: Sendable, Equatable {
    public var message: Message
    /// A repeat of an earlier send with the same `clientMessageId`: nothing new was stored.
    public var duplicate: Bool
    /// Whether the recipient held its events stream when the message was stored.
    public var recipientOnline: Bool
}

/// What `check_messages` returns: the envelope, the messages, and the lease to acknowledge.
public struct InboxBatch: Sendable {
    public var envelope: InboxEnvelope
    public var messages: [Message]
    /// Unread channel posts; their read cursors move when the lease is acknowledged.
    public var posts: [ChannelPost]
    public var leaseID: String?
}

/// Direct messages: rules, durable storage, push hints and leased delivery (SPEC §7.1, §7.2, §7.4).
public struct MessageService: Sendable {
    let workspaces: WorkspaceService
    let hub: EventHub
    let limiter = RateLimiter()
    let now: @Sendable () -> Date
    /// Where sends, deliveries and push latencies are counted (SPEC §13).
    public let metrics: DaemonMetrics
    /// The one way events leave after a commit.
    let publisher: OutboxPublisher

    public init(
        workspaces: WorkspaceService,
        hub: EventHub,
        metrics: DaemonMetrics = DaemonMetrics(),
        now: @escaping @Sendable () -> Date = WallClock.now
    ) {
        self.workspaces = workspaces
        self.hub = hub
        self.metrics = metrics
        self.now = now
        self.publisher = OutboxPublisher(hub: hub, bus: workspaces.events)
    }

    /// Counts a send (or a board change that notifies) against the sender's per-minute limit; the human is not
    /// limited. Synchronous, so a board change can call it inside its write transaction.
    func admit(_ sender: MessageSender, in workspace: Workspace, count: Int = 1) throws {
        guard case .agent(let identity) = sender else { return }
        try self.limiter.admit(
            workspace: workspace.id,
            sender: identity.agent.address.description,
            limit: workspace.rateLimit,
            now: self.now(),
            count: count
        )
    }

    /// Sends a direct message: one write transaction of the store (the agent's RBAC `check` and its audit row, the
    /// topology and mute checks, the row, the push marks), then the outbox is published. Returns only after the message
    /// is committed. A refusal by the topology is recorded (state `rejected`) and thrown as `topology_refused`; a denied
    /// check commits its audit row alone and throws `rbac_denied`. Whoever made `check` settles it when the send fails
    /// (``ToolCheck/settleAfterFailure(checkIfNotRun:)``): an audited call stays audited.
    public func send(
        workspace reference: String?,
        from sender: MessageSender,
        to recipientText: String,
        body: String,
        clientMessageID: String?,
        check: ToolCheck? = nil
    ) async throws -> SendOutcome {
        let (workspace, store) = try await self.workspaces.store(for: sender, reference)
        let commit = try await self.commit(
            in: workspace,
            store,
            from: sender,
            to: recipientText,
            body: body,
            clientMessageID: clientMessageID,
            check: check
        )
        let committedAt = ContinuousClock.now
        let stored = commit.message
        if !commit.duplicate && stored.state != .rejected { self.metrics.messagesSent.increment([stored.kind]) }
        let delivered = try await self.publisher.publish(commit.outbox, of: store, committedAt: committedAt)
        if stored.state == .rejected {
            throw DomainError(commit.facts.senderMuted ? .agentMuted : .topologyRefused, stored.rejection ?? "refused by the workspace topology")
        }
        let sent = delivered.reduce(stored) { $1.applied(to: $0) }
        return SendOutcome(message: sent, duplicate: commit.duplicate, recipientOnline: commit.recipientOnline)
    }

    /// Validates a direct send and commits it in one write transaction of `store`.
    private func commit(
        in workspace: Workspace,
        _ store: any MessagingStore,
        from sender: MessageSender,
        to recipientText: String,
        body: String,
        clientMessageID: String?,
        check: ToolCheck?
    ) async throws -> DirectSendCommit {
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        if let clientMessageID { try FreeText.rejectNUL(clientMessageID, field: "clientMessageId") }
        let recipient = try Self.recipientAddress(recipientText)
        if case .human = sender, recipient == nil {
            throw DomainError(
                .invalidArgument,
                "human-web is you: send to an agent instead (`whatsagent msg send REPO:NAME BODY`; `whatsagent agent list` shows them)"
            )
        }
        let request = DirectSendRequest(
            senderAgentID: sender.agentID,
            recipient: recipient,
            readsPeerRules: workspace.topology == .p2p,
            connected: await self.hub.connectedSessions(),
            now: self.now(),
            check: check
        )
        do {
            let commit = try await store.sendDirect(request) { facts in
                try self.plan(from: sender, facts: facts, body: body, clientMessageID: clientMessageID, in: workspace, now: request.now)
            }
            check?.committed()
            return commit
        } catch let error as DomainError where error.code == .agentNotFound || error.code == .repoNotFound {
            throw DomainError(
                .agentNotFound,
                "unknown recipient '\(recipient?.description ?? recipientText)'; list_peers shows the agents of this workspace"
            )
        }
    }

    /// The rules of a direct send, run inside its transaction on the facts the store read: the mute, then the topology
    /// (and peer rules) decide a refusal; an admitted send counts against the rate limit and goes under the loop guard
    /// when it is between two agents.
    private func plan(
        from sender: MessageSender,
        facts: DirectSendFacts,
        body: String,
        clientMessageID: String?,
        in workspace: Workspace,
        now: Date
    ) throws -> DirectSendPlan {
        let fromParty: TopologyRules.Party
        switch sender {
        case .human: fromParty = .human
        case .agent(let identity): fromParty = .agent(address: identity.agent.address.description, isMain: identity.agent.isMain)
        }
        let toParty: TopologyRules.Party = facts.recipient.map { .agent(address: $0.address.description, isMain: $0.isMain) } ?? .human
        let muted = facts.senderMuted ? Self.mutedText(sender.address) : nil
        let refusal =
            muted
            ?? TopologyRules.refusal(
                topology: workspace.topology,
                from: fromParty,
                to: toParty,
                mainAddress: facts.mainAddress,
                peerRules: facts.peerRules
            )
        if refusal == nil { try self.admit(sender, in: workspace) }
        let message = Message(
            id: 0,
            kind: "direct",
            fromAgentID: sender.agentID,
            fromAddress: sender.address,
            toAgentID: facts.recipient?.id,
            toAddress: toParty.address,
            threadID: Message.directThread(sender.address, toParty.address),
            body: body,
            state: refusal == nil ? .queued : .rejected,
            rejection: refusal,
            clientMessageID: clientMessageID,
            sentAt: now,
            deliveries: 0
        )
        guard refusal == nil, case .agent(let identity) = sender, let recipient = facts.recipient, case .value(let limit) = workspace.loopGuard
        else { return DirectSendPlan(message: message) }
        return DirectSendPlan(message: message, loopGuard: (identity.agent, recipient, limit))
    }

    /// Sends one message to every other agent of the workspace (kind `broadcast`) in one write transaction; refused
    /// in channel topology. The broadcast grant is checked by RBAC before this is called.
    public func broadcast(from identity: AgentIdentity, body: String, check: ToolCheck? = nil) async throws -> [SendOutcome] {
        let (workspace, store) = (identity.workspace, identity.store)
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        let request = BroadcastRequest(
            senderAgentID: identity.agent.id,
            fromAddress: identity.agent.address.description,
            threadID: "broadcast:\(SessionID.generate().rawValue)",
            body: body,
            connected: await self.hub.connectedSessions(),
            now: self.now(),
            check: check
        )
        let commit = try await store.broadcast(request) { facts in
            if facts.senderMuted { throw DomainError(.agentMuted, Self.mutedText(identity.agent.address.description)) }
            guard workspace.topology != .channel else {
                throw DomainError(
                    .topologyRefused,
                    "the workspace uses channel topology: broadcasts are off; post in #shared with post_channel_message"
                )
            }
            try self.admit(.agent(identity), in: workspace)
        }
        check?.committed()
        return try await self.published(commit, of: store)
    }

    /// Counts and publishes a committed broadcast; returns each recipient's outcome.
    func published(_ commit: BroadcastCommit, of store: any MessagingStore) async throws -> [SendOutcome] {
        let committedAt = ContinuousClock.now
        if !commit.deliveries.isEmpty { self.metrics.messagesSent.increment(["broadcast"], by: Double(commit.deliveries.count)) }
        let delivered = try await self.publisher.publish(commit.outbox, of: store, committedAt: committedAt)
        return commit.deliveries.map { delivery in
            let message = delivered.reduce(delivery.message) { $1.applied(to: $0) }
            return SendOutcome(message: message, duplicate: false, recipientOnline: delivery.online)
        }
    }

    /// The human's conversations: messages to or from human-web (one peer's thread with `peer`), newest `limit`,
    /// oldest first; with `broadcasts`, one row per broadcast too. Reading marks the messages to the human acknowledged.
    public func humanMessages(workspace reference: String?, peer: String?, limit: Int, broadcasts: Bool = false) async throws -> [Message] {
        guard (1...500).contains(limit) else { throw DomainError.invalidArgument("limit must be from 1 to 500 (got \(limit))") }
        let (_, store) = try await self.workspaces.messagingStore(for: reference)
        let normalized = try peer.map { try AgentAddress(parsing: $0).description }
        return try await store.humanConversation(peer: normalized, limit: limit, now: self.now(), broadcasts: broadcasts)
    }

    /// Leases up to `limit` waiting items — direct messages, then unread posts of the agent's channels — to the
    /// caller's session and returns them in the envelope, oldest first.
    public func checkMessages(_ identity: AgentIdentity, limit: Int) async throws -> InboxBatch {
        guard (1...100).contains(limit) else { throw DomainError.invalidArgument("limit must be from 1 to 100 (got \(limit))") }
        let store = identity.store
        let leaseID = SessionID.generate().rawValue
        let lease = try await store.leaseInbox(
            InboxLeaseRequest(agent: identity.agent.id, session: identity.session.id, limit: limit, leaseID: leaseID, now: self.now())
        )
        try await self.publisher.publish(lease.outbox, of: store, committedAt: nil)
        let (messages, posts) = (lease.messages, lease.posts)
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let items =
            messages.map { message in
                (
                    message.sentAt,
                    InboxMessage(
                        id: message.wireID,
                        from: message.fromAddress,
                        to: message.toAddress,
                        sentAt: message.sentAt.formatted(format),
                        kind: message.kind,
                        threadID: message.threadID,
                        body: message.body,
                        redelivered: message.deliveries > 0
                    )
                )
            }
            + posts.map { post in
                (
                    post.sentAt,
                    InboxMessage(
                        id: post.wireID,
                        from: post.fromAddress,
                        to: "#\(post.channelName)",
                        sentAt: post.sentAt.formatted(format),
                        kind: "channel",
                        threadID: post.threadID,
                        body: post.body,
                        redelivered: false
                    )
                )
            }
        let ordered = items.sorted { $0.0 < $1.0 }.map(\.1)
        let envelope = InboxEnvelope(recipient: identity.agent.address.description, messages: ordered)
        return InboxBatch(
            envelope: envelope,
            messages: messages,
            posts: posts,
            leaseID: messages.isEmpty && posts.isEmpty ? nil : leaseID
        )
    }

    /// The MCP server has written the leased messages to its client: mark them acknowledged.
    @discardableResult
    public func acknowledge(_ identity: AgentIdentity, leaseID: String) async throws -> Int {
        let store = identity.store
        let acknowledged = try await store.acknowledge(lease: leaseID, agent: identity.agent.id, now: self.now())
        if !acknowledged.messageIDs.isEmpty {
            let event = WorkspaceEvent.messageState(messageIDs: acknowledged.messageIDs.map(String.init), state: .acknowledged)
            try await self.publisher.publish(StoreOutbox(events: [event]), of: store, committedAt: nil)
        }
        for (kind, count) in acknowledged.kinds {
            self.metrics.messagesAcknowledged.increment([kind], by: Double(count))
            self.metrics.messagesDelivered.increment([kind], by: Double(count))
        }
        return acknowledged.messageIDs.count + acknowledged.channels
    }

    /// Pushes a hint for everything waiting for `identity`'s agent (used when its events stream connects).
    public func pushWaiting(to identity: AgentIdentity) async throws {
        let store = identity.store
        try await self.pushWaiting(to: [identity.agent.id], store, committedAt: nil)
    }

    // MARK: Helpers

    /// Sends a mail hint for everything waiting for each of `agents` (direct messages and unread channel posts) to its
    /// live session if it is connected and its pushes are not paused, with its queued messages marked pushed by the
    /// agent's push path (``MessagePushPath``; with path `none` nothing carries the hint to the model, so they stay
    /// queued) — one write transaction for all of them. `committedAt` (by default: now, just after the caller's commit)
    /// starts the push latency measurement.
    func pushWaiting(to agents: [AgentID], _ store: any MessagingStore, committedAt: ContinuousClock.Instant? = .now) async throws {
        guard !agents.isEmpty else { return }
        let plans = try await store.preparePushes(to: agents, connected: await self.hub.connectedSessions(), now: self.now())
        try await self.publisher.publish(StoreOutbox(pushes: plans), of: store, committedAt: committedAt)
    }

    /// The recipient of a direct message: nil for human-web, else the agent's address.
    static func recipientAddress(_ text: String) throws -> AgentAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == MessageSender.humanAddress { return nil }
        guard let address = try? AgentAddress(parsing: trimmed) else {
            throw DomainError.invalidArgument(
                "unknown recipient '\(text)'; address agents as repo:agent, or the human as human-web (list_peers shows who is there)"
            )
        }
        return address
    }

    /// A body: not blank, no NUL, at most `limit` Unicode scalars and 128 KiB of UTF-8 (``FreeText``).
    static func validate(body: String, limit: Int) throws {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalidArgument("the message body is empty; write something to send")
        }
        try FreeText.checkBody(body, field: "body", limit: limit, advice: "split it into several messages")
    }
}
