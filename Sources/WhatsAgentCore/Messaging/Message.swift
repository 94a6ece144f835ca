import Foundation

/// A direct (or broadcast) message, as stored.
public struct Message: Equatable, Sendable {
    /// queued (stored) → pushed (a hint went out, by a named path) → surfaced (returned by `check_messages` under a
    /// lease) → acknowledged (that lease was acked after the result reached the client), SPEC §7.2. A surfaced message
    /// whose lease is never acked stays waiting: the next `check_messages` returns it again (redelivered). Rejected
    /// messages were refused by a rule and are kept so the human can see them; held messages are stored but kept back
    /// by the loop guard until the human releases the pair (then they become queued, in order).
    public enum State: String, Sendable, Codable, CaseIterable {
        case queued
        case pushed
        case surfaced
        case acknowledged
        case rejected
        case held

        /// The states of a message still waiting for its recipient (not yet acknowledged), as SQL.
        package static let waitingSQL = "('queued', 'pushed', 'surfaced')"

        /// Whether a message in this state still waits for its recipient (one of ``waitingSQL``).
        package var isWaiting: Bool { self == .queued || self == .pushed || self == .surfaced }
    }

    public var id: Int64
    public var kind: String
    public var fromAgentID: AgentID?
    public var fromAddress: String
    public var toAgentID: AgentID?
    public var toAddress: String
    public var threadID: String
    public var body: String
    public var state: State
    public var rejection: String?
    public var clientMessageID: String?
    public var sentAt: Date
    public var pushedAt: Date?
    /// The push path of the first hint that named it (`channel`, `plugin`, `extension`, `typed`, `resource`).
    public var pushPath: String?
    /// When `check_messages` last returned it.
    public var surfacedAt: Date?
    /// When its lease was acknowledged (stored in the `deliveredAt` column, the name before SPEC §7.2's states).
    public var acknowledgedAt: Date?
    /// How many times `check_messages` has returned it (more than one: redelivered after a lost acknowledgement).
    public var deliveries: Int

    /// Wire id: message ids are strings on every interface.
    public var wireID: String { String(self.id) }

    /// The thread of a direct conversation: the same for both directions.
    public static func directThread(_ first: String, _ second: String) -> String {
        let pair = [first, second].sorted()
        return "dm:\(pair[0])|\(pair[1])"
    }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: Int64,
        kind: String,
        fromAgentID: AgentID? = nil,
        fromAddress: String,
        toAgentID: AgentID? = nil,
        toAddress: String,
        threadID: String,
        body: String,
        state: State,
        rejection: String? = nil,
        clientMessageID: String? = nil,
        sentAt: Date,
        pushedAt: Date? = nil,
        pushPath: String? = nil,
        surfacedAt: Date? = nil,
        acknowledgedAt: Date? = nil,
        deliveries: Int
    ) {
        self.id = id
        self.kind = kind
        self.fromAgentID = fromAgentID
        self.fromAddress = fromAddress
        self.toAgentID = toAgentID
        self.toAddress = toAddress
        self.threadID = threadID
        self.body = body
        self.state = state
        self.rejection = rejection
        self.clientMessageID = clientMessageID
        self.sentAt = sentAt
        self.pushedAt = pushedAt
        self.pushPath = pushPath
        self.surfacedAt = surfacedAt
        self.acknowledgedAt = acknowledgedAt
        self.deliveries = deliveries
    }
}

/// A waiting direct message as a mail hint names it (the store's waiting mail).
package struct WaitingMail: Sendable, Equatable {
    package var id: Int64
    package var kind: String
    package var fromAddress: String
    package var threadID: String
    /// Not yet pushed to the recipient (still `queued`).
    package var isQueued: Bool

    package var wireID: String { String(self.id) }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: Int64,
        kind: String,
        fromAddress: String,
        threadID: String,
        isQueued: Bool
    ) {
        self.id = id
        self.kind = kind
        self.fromAddress = fromAddress
        self.threadID = threadID
        self.isQueued = isQueued
    }
}
