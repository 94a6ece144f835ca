import Foundation
import WhatsAgentAPI

/// Channels (SPEC §7.3): `#shared` plus created channels, membership, threads and leased read cursors.
/// Posting needs the channel topology; the human reads and posts in every channel.
public struct ChannelService: Sendable {
    let workspaces: WorkspaceService
    let messages: MessageService
    let now: @Sendable () -> Date

    public init(workspaces: WorkspaceService, messages: MessageService, now: @escaping @Sendable () -> Date = WallClock.now) {
        self.workspaces = workspaces
        self.messages = messages
        self.now = now
    }

    public func list(workspace reference: String?, as sender: MessageSender) async throws -> [ChannelSummary] {
        let (_, database) = try await self.open(reference, sender)
        return try await database.channelSummaries(for: sender.agentID)
    }

    /// An agent creates a channel and joins it; its RBAC `check` runs inside the same transaction.
    public func create(_ identity: AgentIdentity, name raw: String, check: ToolCheck? = nil) async throws -> Channel {
        let name = try Channel.normalize(raw)
        let (_, database) = try await self.open(nil, .agent(identity))
        let channel = try await database.createChannel(
            name,
            by: identity.agent.address.description,
            member: identity.agent.id,
            now: self.now(),
            check: check
        )
        check?.committed()
        self.workspaces.events.publish(.channelsChanged, in: database)
        return channel
    }

    /// The human creates channels from the CLI or the web.
    public func create(workspace reference: String?, name raw: String) async throws -> Channel {
        let name = try Channel.normalize(raw)
        let (_, database) = try await self.open(reference, .human)
        let channel = try await database.createChannel(name, by: MessageSender.humanAddress, member: nil, now: self.now(), check: nil)
        self.workspaces.events.publish(.channelsChanged, in: database)
        return channel
    }

    public func join(_ identity: AgentIdentity, name raw: String, check: ToolCheck? = nil) async throws -> Channel {
        let (_, database) = try await self.open(nil, .agent(identity))
        let channel = try await database.joinChannel(try Channel.normalize(raw), agent: identity.agent.id, now: self.now(), check: check)
        check?.committed()
        self.workspaces.events.publish(.channelsChanged, in: database)
        return channel
    }

    public func leave(_ identity: AgentIdentity, name raw: String, check: ToolCheck? = nil) async throws -> Channel {
        let name = try Channel.normalize(raw)
        guard name != Channel.sharedName else {
            throw DomainError(.invalidState, "every agent stays in #shared; leave other channels instead")
        }
        let (_, database) = try await self.open(nil, .agent(identity))
        let channel = try await database.leaveChannel(name, agent: identity.agent.id, check: check)
        check?.committed()
        self.workspaces.events.publish(.channelsChanged, workspace: identity.workspace.id)
        return channel
    }

    /// Posts a new thread: one write transaction (``MessagingStore/postToChannel(_:decide:)``). Members who are
    /// connected get a push hint at once.
    public func post(
        workspace reference: String?,
        from sender: MessageSender,
        channel raw: String?,
        body: String,
        check: ToolCheck? = nil
    ) async throws -> ChannelPost {
        try await self.insert(reference, sender: sender, target: .channel(try Channel.normalize(raw)), body: body, check: check)
    }

    /// Replies in the thread of any post of it.
    public func reply(
        workspace reference: String?,
        from sender: MessageSender,
        to postID: String,
        body: String,
        check: ToolCheck? = nil
    ) async throws -> ChannelPost {
        let notFound = DomainError(.notFound, "no channel message \(postID); read_channel_messages shows message ids such as c12")
        guard let id = ChannelPost.parseWireID(postID) else { throw notFound }
        do {
            return try await self.insert(reference, sender: sender, target: .reply(to: id), body: body, check: check)
        } catch let error as DomainError where error.code == .notFound {
            throw notFound
        }
    }

    /// A page of a channel. Reading does not move the read cursor: only acknowledged `check_messages` results do.
    public func read(
        workspace reference: String?,
        as sender: MessageSender,
        channel raw: String?,
        sinceID: String?,
        beforeID: String?,
        limit: Int
    ) async throws -> [ChannelPost] {
        guard (1...100).contains(limit) else { throw DomainError.invalidArgument("limit must be from 1 to 100 (got \(limit))") }
        let (_, database) = try await self.open(reference, sender)
        let channel = try await database.channel(named: try Channel.normalize(raw))
        try await self.requireMembership(sender, channel, database)
        func parse(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let id = ChannelPost.parseWireID(text) else {
                throw DomainError.invalidArgument("\(name) must be a channel message id such as c12 (got '\(text)')")
            }
            return id
        }
        return try await database.posts(in: channel, sinceID: try parse(sinceID, "sinceId"), beforeID: try parse(beforeID, "beforeId"), limit: limit)
    }

    // MARK: Helpers

    /// The post's rules run inside its transaction, on what the store read there: the channel topology, the body,
    /// the mute, the membership, then the rate limit.
    private func insert(
        _ reference: String?,
        sender: MessageSender,
        target: ChannelPostRequest.Target,
        body: String,
        check: ToolCheck?
    ) async throws -> ChannelPost {
        let (workspace, store) = try await self.workspaces.store(for: sender, reference)
        let request = ChannelPostRequest(
            target: target,
            senderAgentID: sender.agentID,
            fromAddress: sender.address,
            body: body,
            connected: await self.messages.hub.connectedSessions(),
            now: self.now(),
            check: check
        )
        let messages = self.messages
        let commit = try await store.postToChannel(request) { facts in
            guard workspace.topology == .channel else {
                throw DomainError(
                    .topologyRefused,
                    "channel posts need the channel topology; this workspace uses \(workspace.topology.rawValue): use send_message"
                )
            }
            try MessageService.validate(body: body, limit: workspace.maxBodyChars)
            if facts.senderMuted { throw DomainError(.agentMuted, MessageService.mutedText(sender.address)) }
            if !facts.senderIsMember {
                throw DomainError(.invalidState, "you are not a member of #\(facts.channel.name); join it with join_channel first")
            }
            try messages.admit(sender, in: workspace)
        }
        check?.committed()
        let committedAt = ContinuousClock.now
        self.messages.metrics.messagesSent.increment(["channel"])
        try await self.messages.publisher.publish(commit.outbox, of: store, committedAt: committedAt)
        return commit.post
    }

    private func requireMembership(_ sender: MessageSender, _ channel: Channel, _ database: any WorkspaceStore) async throws {
        guard case .agent(let identity) = sender else { return }
        guard try await database.isMember(identity.agent.id, of: channel) else {
            throw DomainError(.invalidState, "you are not a member of #\(channel.name); join it with join_channel first")
        }
    }

    private func open(_ reference: String?, _ sender: MessageSender) async throws -> (Workspace, any WorkspaceStore) {
        let result = try await self.workspaces.store(for: sender, reference)
        try await result.1.ensureSharedChannel(now: self.now())
        return result
    }
}

extension MessageSender {
    var agentID: AgentID? {
        if case .agent(let identity) = self { return identity.agent.id }
        return nil
    }
}
