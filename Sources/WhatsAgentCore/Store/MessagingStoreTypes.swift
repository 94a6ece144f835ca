import Foundation

/// What a direct send asks of the store (``MessagingStore/sendDirect(_:decide:)``).
public struct DirectSendRequest: Sendable {
    /// The sending agent (nil: the human).
    public var senderAgentID: AgentID?
    /// The recipient (nil: the human, human-web).
    public var recipient: AgentAddress?
    /// Peer rules are read only in p2p topology.
    public var readsPeerRules: Bool
    /// The sessions holding their events stream now (``EventHub/connectedSessions()``, read before the transaction).
    public var connected: Set<SessionID>
    public var now: Date
    /// The calling agent's RBAC check: run first inside the send's transaction, its audit row with it; a denial commits
    /// that row alone and is thrown.
    public var check: ToolCheck?

    public init(
        senderAgentID: AgentID?,
        recipient: AgentAddress?,
        readsPeerRules: Bool,
        connected: Set<SessionID>,
        now: Date,
        check: ToolCheck? = nil
    ) {
        (self.senderAgentID, self.recipient, self.readsPeerRules) = (senderAgentID, recipient, readsPeerRules)
        (self.connected, self.now, self.check) = (connected, now, check)
    }
}

/// What the store read inside the send's transaction, for the rules to decide on.
public struct DirectSendFacts: Sendable {
    /// nil for human-web.
    public var recipient: Agent?
    /// `repo:agent` of the main agent, if any.
    public var mainAddress: String?
    /// Whether the human muted the sending agent.
    public var senderMuted: Bool
    /// The pair's peer-rule facts (unrestricted unless read).
    public var peerRules: PeerRuleCheck

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        recipient: Agent? = nil,
        mainAddress: String? = nil,
        senderMuted: Bool,
        peerRules: PeerRuleCheck
    ) {
        self.recipient = recipient
        self.mainAddress = mainAddress
        self.senderMuted = senderMuted
        self.peerRules = peerRules
    }
}

/// What the rules decided: the row to store (`queued`, or `rejected` with its rejection), and the loop guard to apply.
public struct DirectSendPlan: Sendable {
    public var message: Message
    /// The sending agent, its recipient and the loop guard's limit, when the guard applies to this send.
    public var loopGuard: (sender: Agent, recipient: Agent, limit: Int)?

    public init(message: Message, loopGuard: (sender: Agent, recipient: Agent, limit: Int)? = nil) {
        self.message = message
        self.loopGuard = loopGuard
    }
}

/// What a direct send committed.
public struct DirectSendCommit: Sendable {
    /// The row as stored (state `queued`, `held` or `rejected`; push marks are in the outbox's plan).
    public var message: Message
    /// A repeat of an earlier send with the same `clientMessageId`: nothing new was stored, the outbox is empty.
    public var duplicate: Bool
    /// Whether the recipient's live session holds its events stream (was in `connected`).
    public var recipientOnline: Bool
    /// What the transaction read for the rules (a refusal's code depends on the mute).
    public var facts: DirectSendFacts
    public var outbox: StoreOutbox

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        message: Message,
        duplicate: Bool,
        recipientOnline: Bool,
        facts: DirectSendFacts,
        outbox: StoreOutbox
    ) {
        self.message = message
        self.duplicate = duplicate
        self.recipientOnline = recipientOnline
        self.facts = facts
        self.outbox = outbox
    }
}

/// A broadcast: one row per recipient (every agent but the sender), one thread.
public struct BroadcastRequest: Sendable {
    /// The sending agent (nil: the human).
    public var senderAgentID: AgentID?
    public var fromAddress: String
    public var threadID: String
    public var body: String
    public var connected: Set<SessionID>
    public var now: Date
    /// The calling agent's RBAC check, run first inside the transaction (see ``DirectSendRequest/check``).
    public var check: ToolCheck?

    public init(
        senderAgentID: AgentID?,
        fromAddress: String,
        threadID: String,
        body: String,
        connected: Set<SessionID>,
        now: Date,
        check: ToolCheck? = nil
    ) {
        (self.senderAgentID, self.fromAddress, self.threadID, self.body) = (senderAgentID, fromAddress, threadID, body)
        (self.connected, self.now, self.check) = (connected, now, check)
    }
}

/// What the store read inside a broadcast's transaction.
public struct BroadcastFacts: Sendable {
    public var senderMuted: Bool
    public var recipients: [Agent]

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        senderMuted: Bool,
        recipients: [Agent]
    ) {
        self.senderMuted = senderMuted
        self.recipients = recipients
    }
}

/// What a broadcast committed: each recipient with its row and whether it was online.
public struct BroadcastCommit: Sendable {
    public var deliveries: [(recipient: Agent, message: Message, online: Bool)]
    public var outbox: StoreOutbox

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        deliveries: [(recipient: Agent, message: Message, online: Bool)],
        outbox: StoreOutbox
    ) {
        self.deliveries = deliveries
        self.outbox = outbox
    }
}

/// `check_messages`'s lease.
public struct InboxLeaseRequest: Sendable {
    public var agent: AgentID
    public var session: SessionID
    public var limit: Int
    public var leaseID: String
    public var now: Date

    public init(agent: AgentID, session: SessionID, limit: Int, leaseID: String, now: Date) {
        (self.agent, self.session, self.limit, self.leaseID, self.now) = (agent, session, limit, leaseID, now)
    }
}

/// What a lease took: the messages as they were before it (their `deliveries` tells a redelivery), then posts.
public struct InboxLease: Sendable {
    public var messages: [Message]
    public var posts: [ChannelPost]
    public var outbox: StoreOutbox

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        messages: [Message],
        posts: [ChannelPost],
        outbox: StoreOutbox
    ) {
        self.messages = messages
        self.posts = posts
        self.outbox = outbox
    }
}

/// What acknowledging one lease changed.
public struct LeaseAcknowledgement: Sendable, Equatable {
    /// The leased direct, broadcast and kanban messages that became acknowledged, oldest first.
    public var messageIDs: [Int64]
    /// Acknowledged items by kind, for the acknowledged counter: the messages' kinds, and `channel` for the posts.
    public var kinds: [String: Int]
    /// Channels whose read cursor moved.
    public var channels: Int

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        messageIDs: [Int64],
        kinds: [String: Int],
        channels: Int
    ) {
        self.messageIDs = messageIDs
        self.kinds = kinds
        self.channels = channels
    }
}

/// A channel post: a new thread in `channel`, or a reply in the thread of post `replyTo`.
public struct ChannelPostRequest: Sendable {
    public enum Target: Sendable, Equatable {
        case channel(String)
        case reply(to: Int64)
    }

    public var target: Target
    /// The posting agent (nil: the human).
    public var senderAgentID: AgentID?
    public var fromAddress: String
    public var body: String
    public var connected: Set<SessionID>
    public var now: Date
    /// The calling agent's RBAC check, run first inside the transaction (see ``DirectSendRequest/check``).
    public var check: ToolCheck?

    public init(
        target: Target,
        senderAgentID: AgentID?,
        fromAddress: String,
        body: String,
        connected: Set<SessionID>,
        now: Date,
        check: ToolCheck? = nil
    ) {
        (self.target, self.senderAgentID, self.fromAddress) = (target, senderAgentID, fromAddress)
        (self.body, self.connected, self.now, self.check) = (body, connected, now, check)
    }
}

/// What the store read inside a channel post's transaction.
public struct ChannelPostFacts: Sendable {
    public var channel: Channel
    public var senderMuted: Bool
    /// Whether the sender may post there (every agent is in `#shared`; the human in every channel).
    public var senderIsMember: Bool

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        channel: Channel,
        senderMuted: Bool,
        senderIsMember: Bool
    ) {
        self.channel = channel
        self.senderMuted = senderMuted
        self.senderIsMember = senderIsMember
    }
}

/// What a channel post committed.
public struct ChannelPostCommit: Sendable {
    public var post: ChannelPost
    public var outbox: StoreOutbox

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        post: ChannelPost,
        outbox: StoreOutbox
    ) {
        self.post = post
        self.outbox = outbox
    }
}

/// What a checked use case's transaction returns: its result, or the denial of its RBAC check, whose audit row the
/// transaction committed alone (thrown after the commit by ``get()``).
package enum Checked<T: Sendable>: Sendable {
    case done(T)
    case denied(DomainError)

    package func get() throws -> T {
        switch self {
        case .done(let value): value
        case .denied(let denial): throw denial
        }
    }
}
