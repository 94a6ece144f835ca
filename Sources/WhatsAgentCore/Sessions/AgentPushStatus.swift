import Foundation
import WhatsAgentAPI

/// An agent's push path and confirmation as every surface shows it (`agent show`, `agent list`, the API, the agents
/// page): derived here once, from the agent's switches and runtime and its latest session's ``SessionPush``.
public struct AgentPushStatus: Sendable, Equatable {
    /// How mail reaches the agent's model now.
    public var path: MessagePushPath
    /// Why the path is not the runtime's own (a fallback), when it is not.
    public var reason: String?
    public var lastPushAt: Date?
    public var lastPushPath: MessagePushPath?
    public var lastConfirmedAt: Date?
    public var lastConfirmedPath: MessagePushPath?
    /// Pushes go unconfirmed (past the configured time), or a fallback stands in for the runtime's path.
    public var warning: String?

    /// - Parameters:
    ///   - agent: Its switches and runtime give the path when the session sets none.
    ///   - push: What the latest session recorded (nil: no session, or nothing recorded).
    ///   - live: Whether that session is live; an ended session keeps its times but raises no warning.
    ///   - managed: A managed session falls back to typed nudges; an external one only warns.
    ///   - confirmWithin: How long a push may wait for its confirmation before it warns (`[push] confirm_seconds`).
    public init(agent: Agent, push: SessionPush?, live: Bool, managed: Bool, confirmWithin: Duration, now: Date) {
        self.path = Self.path(agent: agent, push: push)
        self.lastPushAt = push?.lastPushAt
        self.lastPushPath = push?.lastPushPath
        self.lastConfirmedAt = push?.lastConfirmedAt
        self.lastConfirmedPath = push?.lastConfirmedPath
        guard agent.pushEnabled, let push else { return }
        if push.path != nil { self.reason = push.pathReason }
        guard live else { return }
        if push.path == .typed, let reason = push.pathReason {
            let lost = agent.runtime == .claude ? "channel pushes are not reaching the model" : "its runtime's push is unavailable"
            self.warning = "\(lost), so the daemon types nudges instead: \(reason)"
            return
        }
        guard let since = push.unconfirmedSince, let last = push.lastPushPath else { return }
        let waited = now.timeIntervalSince(since)
        let limit = Double(confirmWithin.components.seconds) + Double(confirmWithin.components.attoseconds) / 1e18
        guard waited >= limit else { return }
        self.warning =
            "pushes unconfirmed for \(Int(waited)) s (limit \(Int(limit)) s): \(Self.unconfirmed(last, managed: managed))"
    }

    /// The path `agent` is pushed by: none with pushes off; the session's own choice (a fallback, the app-server);
    /// Claude's channel; a subscribed MCP client's resource; else the runtime's (``MessagePushPath/init(_:)``).
    public static func path(agent: Agent, push: SessionPush?) -> MessagePushPath {
        guard agent.pushEnabled else { return .none }
        if let path = push?.path { return path }
        if agent.runtime == .claude { return .channel }
        if push?.inboxSubscribed == true { return .resource }
        return MessagePushPath(agent)
    }

    /// The path a hint written to the session's events stream takes to the model (nil: that hint is not the push —
    /// Codex and custom agents are pushed by a typed nudge or an app-server turn, recorded where those happen).
    public static func streamPath(agent: Agent, push: SessionPush?) -> MessagePushPath? {
        guard agent.pushEnabled else { return nil }
        if agent.runtime == .claude { return .channel }
        if push?.inboxSubscribed == true { return .resource }
        switch agent.runtime {
        case .opencode: return .plugin
        case .pi: return .extension
        case .claude, .codex, .custom: return nil
        }
    }

    /// What an unconfirmed push on `path` suggests, and what to do.
    static func unconfirmed(_ path: MessagePushPath, managed: Bool) -> String {
        switch path {
        case .channel:
            managed
                ? "no check_messages followed the channel push; channels may be unavailable (DISABLE_TELEMETRY=1, "
                    + "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, `claude -p`); the daemon types a nudge once the terminal is idle"
                : "no check_messages followed the channel push; channels may be unavailable in that Claude (DISABLE_TELEMETRY=1, "
                    + "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1, `claude -p`, no --dangerously-load-development-channels); "
                    + "ask the agent to call check_messages"
        case .resource:
            "the MCP client neither re-read whatsagent://inbox nor called check_messages after notifications/resources/updated"
        case .appServer: "the Codex app-server did not report the turn the daemon started"
        case .typed: "no check_messages followed the typed nudge; look at the agent's terminal (`whatsagent agent attach`)"
        case .plugin: "no check_messages followed the OpenCode plugin's prompt"
        case .extension: "no check_messages followed the Pi extension's follow-up"
        case .none: "no check_messages followed the push"
        }
    }
}
