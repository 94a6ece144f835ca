import Foundation
import WhatsAgentAPI

/// What the daemon knows about one session's pushes (SPEC §7.2, "per agent"): the last push hint that went out and by
/// which path, since when pushes wait for a confirmation, the last confirmation, whether its MCP client subscribed to
/// `whatsagent://inbox`, and a path the daemon chose over the runtime's own (with why).
///
/// Confirmation is about the agent's client acting on a push; it never marks a message surfaced.
public struct SessionPush: Sendable, Equatable {
    public var sessionID: SessionID
    /// The session's MCP client sent `resources/subscribe` for `whatsagent://inbox` (and has not unsubscribed).
    public var inboxSubscribed = false
    /// A path set for this session instead of the runtime's: `typed` when a managed Claude's channel pushes went
    /// unconfirmed, `app-server` for a managed Codex. nil: the runtime's own path.
    public var path: MessagePushPath?
    /// Why ``path`` was set (shown with it; a fallback's reason is also the agent's push warning).
    public var pathReason: String?
    public var lastPushAt: Date?
    public var lastPushPath: MessagePushPath?
    /// The first push not confirmed yet (nil: every push so far was confirmed, or none went out).
    public var unconfirmedSince: Date?
    public var lastConfirmedAt: Date?
    /// The path of the push that confirmation answered.
    public var lastConfirmedPath: MessagePushPath?

    public init(sessionID: SessionID) {
        self.sessionID = sessionID
    }

    /// A push hint went out by `path` at `now`.
    package mutating func pushed(_ path: MessagePushPath, at now: Date) {
        self.lastPushAt = now
        self.lastPushPath = path
        if self.unconfirmedSince == nil { self.unconfirmedSince = now }
    }

    /// The client acted on the pushes (`by`: the signal's own path, nil for "whatever went last"). Nothing to confirm
    /// when no push waits for one. A confirmed channel push ends a typed fallback: the channel reaches the model again.
    /// Returns whether it confirmed something.
    mutating func confirmed(by signal: MessagePushPath?, at now: Date) -> Bool {
        guard self.unconfirmedSince != nil, let last = self.lastPushPath else { return false }
        let path = signal ?? last
        self.unconfirmedSince = nil
        self.lastConfirmedAt = now
        self.lastConfirmedPath = path
        if path == .channel, self.path == .typed {
            self.path = nil
            self.pathReason = nil
        }
        return true
    }
}
