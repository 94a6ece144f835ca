import Foundation

/// Runaway protection between two agents (SPEC §7.5).
///
/// When two agents exchange more than the workspace's `loopGuard` number of direct messages (both directions
/// together) within ``window`` and no human message went to or came from either of them in that window, the pair is
/// *held*: further direct messages between them, in either direction, are stored with state `held` — durable, never
/// lost — but neither delivered nor pushed. The human is alerted (a message from ``alertSender`` in `msg inbox`, and
/// a ``WorkspaceEvent/loopHeld(_:)`` hub event) and releases the pair with `whatsagent msg release A B` or
/// `POST …/message-holds/release`: the held messages become queued in their original order, are pushed, and the
/// pair's counting window restarts at the release.
///
/// Only agent-to-agent direct messages count and are held. Broadcasts are one-to-many announcements (they need the
/// broadcast grant and are bounded by the rate limit), and channel posts are not private conversations — the human
/// reads every channel — so neither is a pair conversation. Messages to or from the human are never held. `off`
/// disables the guard.
public enum LoopGuard {
    /// How far back the guard counts a pair's messages: 10 minutes.
    public static let window: TimeInterval = 600

    /// The sender of the alerts to human-web. Not an agent address (those are `repo:agent`), so it cannot clash.
    public static let alertSender = "whatsagent"

    /// What the counting needs: the limit and the time of the message being sent.
    package struct Check: Sendable {
        package var limit: Int
        package var now: Date
        /// The two agents, as stored on the hold.
        package var sender: Agent
        package var recipient: Agent

        package init(limit: Int, now: Date, sender: Agent, recipient: Agent) {
            (self.limit, self.now, self.sender, self.recipient) = (limit, now, sender, recipient)
        }
    }

    /// The text of the alert to human-web when a pair is held.
    package static func alert(_ hold: LoopHold, limit: Int) -> String {
        let (first, second) = (hold.agents[0], hold.agents[1])
        return """
            Loop guard: \(first) and \(second) exchanged more than \(limit) messages within \(Int(LoopGuard.window / 60)) minutes \
            with no message from or to you, so their conversation is held: further messages between them are stored but not \
            delivered. Look at them with `whatsagent msg holds`; release them (held messages are delivered in order) with \
            `whatsagent msg release \(first) \(second)`. To stop one of them, mute it with `whatsagent agent set ADDRESS --mute on`.
            """
    }

    /// What the sender of a held message is told: the message is safe, and it should stop and wait.
    public static func heldNotice(to recipient: String, messageID: String) -> String {
        """
        HELD by the loop guard: message \(messageID) to \(recipient) is stored but NOT delivered, because you and \
        \(recipient) exchanged too many messages without the human. Do not resend it (it is kept and will be delivered \
        if the human releases the conversation). Stop messaging \(recipient) now: finish your current work, report to \
        the human if you need to, and wait for the human to release it.
        """
    }
}

/// A pair of agents held by the loop guard.
public struct LoopHold: Sendable, Equatable {
    public var id: Int64
    /// The two agents (`repo:agent`), in a stable order.
    public var agents: [String]
    public var agentIDs: [AgentID]
    public var heldAt: Date
    /// nil while the hold is active.
    public var releasedAt: Date?
    /// The messages between the pair still held (oldest first); empty once released.
    public var messages: [Message]

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: Int64,
        agents: [String],
        agentIDs: [AgentID],
        heldAt: Date,
        releasedAt: Date? = nil,
        messages: [Message]
    ) {
        self.id = id
        self.agents = agents
        self.agentIDs = agentIDs
        self.heldAt = heldAt
        self.releasedAt = releasedAt
        self.messages = messages
    }
}
