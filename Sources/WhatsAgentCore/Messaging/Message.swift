import Foundation

/// A direct (or broadcast) message, as stored.
public struct Message: Equatable, Sendable {
    /// queued → pushed (a hint reached the recipient's connection) → delivered (returned and acknowledged);
    /// rejected messages were refused by a rule and are kept so the human can see them; held messages are stored but
    /// kept back by the loop guard until the human releases the pair (then they become queued, in order).
    public enum State: String, Sendable, Codable {
        case queued
        case pushed
        case delivered
        case rejected
        case held
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
    public var deliveredAt: Date?
    /// How many times `check_messages` has returned it (more than one: redelivered after a lost acknowledgement).
    public var deliveries: Int

    /// Wire id: message ids are strings on every interface.
    public var wireID: String { String(self.id) }

    /// The thread of a direct conversation: the same for both directions.
    public static func directThread(_ first: String, _ second: String) -> String {
        let pair = [first, second].sorted()
        return "dm:\(pair[0])|\(pair[1])"
    }
}

/// A waiting direct message as a mail hint names it (``WorkspaceDatabase/waitingMail(for:)``).
struct WaitingMail: Sendable, Equatable {
    var id: Int64
    var kind: String
    var fromAddress: String
    var threadID: String
    /// Not yet pushed to the recipient's connection.
    var isQueued: Bool

    var wireID: String { String(self.id) }
}
