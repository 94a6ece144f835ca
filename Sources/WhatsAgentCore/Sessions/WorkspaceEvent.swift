import Foundation

/// Workspace-wide events for the human's surfaces (the web UI's event stream), as opposed to a session's
/// ``SessionEvent``s. They say *what* changed, never the content (no bodies): the page refetches what it shows.
/// Services publish them on ``WorkspaceEventBus`` after their commit, never inside a transaction.
public enum WorkspaceEvent: Sendable, Equatable {
    /// The loop guard held a pair of agents.
    case loopHeld(LoopHold)
    /// The human released a held pair; `released` held messages became queued.
    case loopReleased(LoopHold, released: Int)
    /// A direct message, broadcast copy, channel post or board notification was committed.
    case message(MessageNotice)
    /// Messages changed state (pushed, surfaced, acknowledged, …; SPEC §7.2).
    case messageState(messageIDs: [String], state: Message.State)
    /// Something about the agents changed: added, edited, removed, main agent, repos, sessions (connect, disconnect,
    /// events stream held or released, launch, stop), presence or summary.
    case agentsChanged
    /// A managed agent started or stopped waiting for the human's approval in its terminal.
    case attention(agent: String, attention: Bool)
    /// A Codex/custom agent's nudge is waiting for the human to type it (or stopped waiting).
    case nudgePending(agent: String, pending: Bool)
    /// An agent's session ended (`exitCode` for a managed agent whose process exited).
    case sessionEnded(agent: String, reason: String, exitCode: Int32?)
    /// A board item changed (created, edited, moved, commented, archived, …); `*` after an import (everything).
    case board(itemID: String, kind: BoardItemKind)
    /// An epic's close is waiting for the human's approval.
    case closeApproval(epicID: String)
    /// The workspace list or a workspace's settings changed.
    case workspacesChanged
    /// A channel was created, or an agent joined or left one.
    case channelsChanged
}

/// A committed message, without its body.
public struct MessageNotice: Sendable, Equatable {
    /// The wire id (`m_…` / `p_…`).
    public var messageID: String
    /// `repo:agent`, `human-web` or `whatsagent`.
    public var from: String
    /// `repo:agent`, `human-web`, or `#channel` for a channel post.
    public var to: String
    /// `direct`, `broadcast`, `kanban` or `channel`.
    public var kind: String
    /// The channel's name for a channel post.
    public var channel: String?
    public var threadID: String?

    public init(messageID: String, from: String, to: String, kind: String, channel: String? = nil, threadID: String?) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.kind = kind
        self.channel = channel
        self.threadID = threadID
    }

    /// The notice of a stored message.
    public init(_ message: Message) {
        self.init(
            messageID: message.wireID,
            from: message.fromAddress,
            to: message.toAddress,
            kind: message.kind,
            threadID: message.threadID
        )
    }

    /// The notice of a stored channel post.
    package init(_ post: ChannelPost) {
        self.init(
            messageID: post.wireID,
            from: post.fromAddress,
            to: "#\(post.channelName)",
            kind: "channel",
            channel: post.channelName,
            threadID: post.threadID
        )
    }
}
