import WhatsAgentAPI

/// The path a push hint took to an agent's model (SPEC §7.2), recorded on each message it pushed. The same names as
/// the API's `AgentPushPath`, derived the same way from the agent's runtime and switches.
public enum MessagePushPath: String, Sendable, Codable, CaseIterable {
    /// Claude: a `notifications/claude/channel` message.
    case channel
    /// OpenCode: the generated plugin prompts the idle session.
    case plugin
    /// Pi: the generated extension sends a follow-up message.
    case `extension`
    /// Codex and custom commands: a line typed into the agent's terminal (also a managed Claude's fallback when its
    /// channel pushes go unconfirmed).
    case typed
    /// Any MCP client subscribed to `whatsagent://inbox` (`notifications/resources/updated`): not derived from the
    /// runtime; a session's client subscribing sets it (``PushConfirmationService``).
    case resource
    /// A managed Codex: the daemon starts or steers a turn through `codex app-server`.
    case appServer = "app-server"
    /// Pushes off (or nudges off for a typed runtime): nothing carries the hint, the message stays `queued`.
    case none

    /// The path `agent`'s runtime and switches give it.
    public init(_ agent: Agent) {
        guard agent.pushEnabled else {
            self = .none
            return
        }
        switch agent.runtime {
        case .claude: self = .channel
        case .opencode: self = .plugin
        case .pi: self = .extension
        case .codex, .custom: self = agent.nudgeEnabled ? .typed : .none
        }
    }
}
