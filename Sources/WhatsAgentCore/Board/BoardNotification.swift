/// A board change told to one agent through its inbox (reference §13.4): stored as a message of kind `kanban` from
/// `whatsagent` in thread `kanban:<display id>`, in the same transaction as the change, then pushed like mail.
public struct BoardNotification: Sendable, Equatable {
    /// The sender address of every board notification: the daemon itself, not the actor (the actor is named in the
    /// body), so notifications are not agent-to-agent messages for the loop guard and peer rules. The change that
    /// notifies counts one send against the acting agent's rate limit (``BoardService``).
    public static let senderAddress = "whatsagent"
    /// Longest body stored.
    package static let maxBody = 4_000

    public var toAgentID: AgentID
    public var toAddress: String
    /// `assignment`, `status_review`, `epic_close_pending_approval`, … (reference §13.4).
    public var event: String
    /// The item's display id (`WA-003`).
    public var displayID: String
    public var body: String
    /// The stored message's id, once board change's transaction stored it (``BoardStore``).
    public var messageID: Int64?

    /// `kanban:<display id>`.
    public var threadID: String { Self.threadID(self.displayID) }

    public static func threadID(_ displayID: String) -> String { "kanban:\(displayID)" }

    /// The body as stored: at most ``maxBody`` characters, `…` where it was cut.
    package var storedBody: String {
        let scalars = self.body.unicodeScalars
        guard scalars.count > Self.maxBody else { return self.body }
        return String(String.UnicodeScalarView(scalars.prefix(Self.maxBody - 1))) + "…"
    }
}
