import Foundation

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

    /// Sends a direct message. Returns only after the message is committed. A refusal by the topology is recorded
    /// (state `rejected`) and thrown as `topology_refused`.
    public func send(
        workspace reference: String?,
        from sender: MessageSender,
        to recipientText: String,
        body: String,
        clientMessageID: String?
    ) async throws -> SendOutcome {
        let (workspace, database) = try await self.workspaces.database(for: sender.workspaceReference ?? reference)
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        if let clientMessageID { try FreeText.rejectNUL(clientMessageID, field: "clientMessageId") }
        let recipient = try await self.resolve(recipientText, database)
        if case .human = sender, recipient == nil {
            throw DomainError(
                .invalidArgument,
                "human-web is you: send to an agent instead (`whatsagent msg send REPO:NAME BODY`; `whatsagent agent list` shows them)"
            )
        }
        let main = try await database.mainAgentAddress()
        let fromParty: TopologyRules.Party
        switch sender {
        case .human: fromParty = .human
        case .agent(let identity): fromParty = .agent(address: identity.agent.address.description, isMain: identity.agent.isMain)
        }
        let toParty: TopologyRules.Party = recipient.map { .agent(address: $0.address.description, isMain: $0.isMain) } ?? .human
        let muted = try await self.muteRefusal(sender, database)
        let peerRules = try await self.peerRuleCheck(workspace, sender, recipient, database)
        let refusal =
            muted ?? TopologyRules.refusal(topology: workspace.topology, from: fromParty, to: toParty, mainAddress: main, peerRules: peerRules)

        let draft = Message(
            id: 0,
            kind: "direct",
            fromAgentID: sender.agentID,
            fromAddress: sender.address,
            toAgentID: recipient?.id,
            toAddress: toParty.address,
            threadID: Message.directThread(sender.address, toParty.address),
            body: body,
            state: refusal == nil ? .queued : .rejected,
            rejection: refusal,
            clientMessageID: clientMessageID,
            sentAt: self.now(),
            deliveries: 0
        )
        if refusal == nil { try self.admit(sender, in: workspace) }
        let (stored, duplicate) = try await self.store(draft, from: sender, to: recipient, in: workspace, database)
        if !duplicate && stored.state != .rejected { self.metrics.messagesSent.increment([stored.kind]) }
        if !duplicate { self.workspaces.events.publish(.message(MessageNotice(stored)), workspace: workspace.id) }
        if stored.state == .rejected {
            throw DomainError(muted == nil ? .topologyRefused : .agentMuted, stored.rejection ?? refusal ?? "refused by the workspace topology")
        }
        var online = false
        var sent = stored
        if let recipient, !duplicate, stored.state != .held {
            let push = try await self.push(to: recipient, database)
            online = push.online
            sent = push.applied(to: stored)
        }
        return SendOutcome(message: sent, duplicate: duplicate, recipientOnline: online)
    }

    /// Sends one message to every other agent of the workspace (kind `broadcast`); refused in channel topology.
    /// The broadcast grant is checked by RBAC before this is called.
    public func broadcast(from identity: AgentIdentity, body: String) async throws -> [SendOutcome] {
        let (workspace, database) = try await self.workspaces.database(for: identity.workspace.id.rawValue)
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        if let muted = try await self.muteRefusal(.agent(identity), database) { throw DomainError(.agentMuted, muted) }
        guard workspace.topology != .channel else {
            throw DomainError(
                .topologyRefused,
                "the workspace uses channel topology: broadcasts are off; post in #shared with post_channel_message"
            )
        }
        try self.admit(.agent(identity), in: workspace)
        let sender = identity.agent.address.description
        let broadcastID = SessionID.generate().rawValue
        var outcomes: [SendOutcome] = []
        for recipient in try await database.agents() where recipient.id != identity.agent.id {
            let draft = Message(
                id: 0,
                kind: "broadcast",
                fromAgentID: identity.agent.id,
                fromAddress: sender,
                toAgentID: recipient.id,
                toAddress: recipient.address.description,
                threadID: "broadcast:\(broadcastID)",
                body: body,
                state: .queued,
                rejection: nil,
                clientMessageID: nil,
                sentAt: self.now(),
                deliveries: 0
            )
            let (stored, _) = try await database.insertMessage(draft)
            self.metrics.messagesSent.increment([stored.kind])
            self.workspaces.events.publish(.message(MessageNotice(stored)), workspace: workspace.id)
            let push = try await self.push(to: recipient, database)
            outcomes.append(SendOutcome(message: push.applied(to: stored), duplicate: false, recipientOnline: push.online))
        }
        return outcomes
    }

    /// The human's conversations: messages to or from human-web (one peer's thread with `peer`), newest `limit`,
    /// oldest first; with `broadcasts`, one row per broadcast too. Reading marks the messages to the human acknowledged.
    public func humanMessages(workspace reference: String?, peer: String?, limit: Int, broadcasts: Bool = false) async throws -> [Message] {
        guard (1...500).contains(limit) else { throw DomainError.invalidArgument("limit must be from 1 to 500 (got \(limit))") }
        let (_, database) = try await self.workspaces.database(for: reference)
        let normalized = try peer.map { try AgentAddress(parsing: $0).description }
        return try await database.humanMessages(peer: normalized, limit: limit, now: self.now(), broadcasts: broadcasts)
    }

    /// Leases up to `limit` waiting items — direct messages, then unread posts of the agent's channels — to the
    /// caller's session and returns them in the envelope, oldest first.
    public func checkMessages(_ identity: AgentIdentity, limit: Int) async throws -> InboxBatch {
        guard (1...100).contains(limit) else { throw DomainError.invalidArgument("limit must be from 1 to 100 (got \(limit))") }
        let (_, database) = try await self.workspaces.database(for: identity.workspace.id.rawValue)
        let leaseID = SessionID.generate().rawValue
        let messages = try await database.leaseMessages(
            for: identity.agent.id,
            session: identity.session.id,
            limit: limit,
            leaseID: leaseID,
            now: self.now()
        )
        if !messages.isEmpty {
            self.workspaces.events.publish(.messageState(messageIDs: messages.map(\.wireID), state: .surfaced), in: database)
        }
        var posts: [ChannelPost] = []
        if messages.count < limit {
            try await database.ensureSharedChannel(now: self.now())
            posts = try await database.leaseUnreadPosts(for: identity.agent.id, leaseID: leaseID, limit: limit - messages.count, now: self.now())
        }
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
        let (_, database) = try await self.workspaces.database(for: identity.workspace.id.rawValue)
        let acknowledged = try await database.acknowledgeLease(leaseID, agent: identity.agent.id, now: self.now())
        if !acknowledged.messageIDs.isEmpty {
            self.workspaces.events.publish(
                .messageState(messageIDs: acknowledged.messageIDs.map(String.init), state: .acknowledged),
                workspace: identity.workspace.id
            )
        }
        for (kind, count) in acknowledged.kinds {
            self.metrics.messagesAcknowledged.increment([kind], by: Double(count))
            self.metrics.messagesDelivered.increment([kind], by: Double(count))
        }
        return acknowledged.messageIDs.count + acknowledged.channels
    }

    /// Pushes a hint for everything waiting for `identity`'s agent (used when its events stream connects).
    public func pushWaiting(to identity: AgentIdentity) async throws {
        let (_, database) = try await self.workspaces.database(for: identity.workspace.id.rawValue)
        try await database.ensureSharedChannel(now: self.now())
        try await self.pushWaiting(to: identity.agent, database, committedAt: nil)
    }

    // MARK: Helpers

    /// Sends a mail hint for everything waiting for `agent` (direct messages and unread channel posts) to its live
    /// session if it is connected and its pushes are not paused; marks the queued messages pushed, with the agent's push
    /// path (``MessagePushPath``; with path `none` nothing carries the hint to the model, so they stay queued). Returns
    /// whether the agent
    /// was connected. `committedAt` (by default: now, just after the caller's commit) starts the push latency
    /// measurement.
    @discardableResult
    func pushWaiting(to agent: Agent, _ database: WorkspaceDatabase, committedAt: ContinuousClock.Instant? = .now) async throws -> Bool {
        try await self.push(to: agent, database, committedAt: committedAt).online
    }

    /// What ``push(to:_:committedAt:)`` did: whether the agent was connected, and which queued messages it marked
    /// pushed, when and by which path.
    struct PushOutcome {
        var online: Bool
        var path: MessagePushPath
        var pushedIDs: [Int64] = []
        var pushedAt: Date?

        /// `message` as the sender should see it now: pushed, when and by which path, if this push marked it.
        func applied(to message: Message) -> Message {
            guard let pushedAt = self.pushedAt, self.pushedIDs.contains(message.id) else { return message }
            var pushed = message
            (pushed.state, pushed.pushedAt, pushed.pushPath) = (.pushed, pushedAt, self.path.rawValue)
            return pushed
        }
    }

    /// ``pushWaiting(to:_:committedAt:)``, telling what it marked pushed.
    func push(to agent: Agent, _ database: WorkspaceDatabase, committedAt: ContinuousClock.Instant? = .now) async throws -> PushOutcome {
        let path = MessagePushPath(agent)
        guard let session = try await database.liveSession(of: agent.id), await self.hub.isConnected(session.id) else {
            return PushOutcome(online: false, path: path)
        }
        // Pushes paused (`agent set --push off`): mail still waits and check_messages returns it.
        guard agent.pushEnabled else { return PushOutcome(online: true, path: path) }
        let waiting = try await database.waitingMail(for: agent.id)
        let posts = try await database.unreadPosts(for: agent.id)
        let items =
            waiting.map { (id: $0.wireID, kind: $0.kind, from: $0.fromAddress, thread: $0.threadID) }
            + posts.map { (id: $0.wireID, kind: "channel", from: $0.fromAddress, thread: $0.threadID) }
        guard !items.isEmpty else { return PushOutcome(online: true, path: path) }
        let single = items.count == 1 ? items.first : nil
        let hint = MailHint(
            count: items.count,
            messageIDs: items.map(\.id),
            kinds: Array(Set(items.map(\.kind))).sorted(),
            from: single?.from,
            threadID: single?.thread,
            kind: single?.kind,
            committedAt: committedAt
        )
        var outcome = PushOutcome(online: true, path: path)
        if await self.hub.publish(.mail(hint), to: session.id), path != .none {
            let now = self.now()
            outcome.pushedIDs = try await database.markPushed(waiting.filter(\.isQueued).map(\.id), path: path.rawValue, now: now)
            if !outcome.pushedIDs.isEmpty {
                outcome.pushedAt = now
                self.workspaces.events.publish(.messageState(messageIDs: outcome.pushedIDs.map(String.init), state: .pushed), in: database)
            }
        }
        return outcome
    }

    /// nil for human-web, else the agent.
    private func resolve(_ text: String, _ database: WorkspaceDatabase) async throws -> Agent? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == MessageSender.humanAddress { return nil }
        guard let address = try? AgentAddress(parsing: trimmed) else {
            throw DomainError.invalidArgument(
                "unknown recipient '\(text)'; address agents as repo:agent, or the human as human-web (list_peers shows who is there)"
            )
        }
        do {
            return try await database.agent(address)
        } catch let error as DomainError where error.code == .agentNotFound || error.code == .repoNotFound {
            throw DomainError(.agentNotFound, "unknown recipient '\(address)'; list_peers shows the agents of this workspace")
        }
    }

    /// A body: not blank, no NUL, at most `limit` Unicode scalars and 128 KiB of UTF-8 (``FreeText``).
    static func validate(body: String, limit: Int) throws {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalidArgument("the message body is empty; write something to send")
        }
        try FreeText.checkBody(body, field: "body", limit: limit, advice: "split it into several messages")
    }
}
