/// How mail reaches an agent's model without it asking (SPEC §7.2 push paths), as far as its runtime and switches
/// decide it. Whether a push was confirmed is a separate question the daemon does not answer yet.
public enum AgentPushPath: String, Codable, Sendable, CaseIterable {
    /// Claude: a `notifications/claude/channel` message, shown to the model as a `<channel>` block.
    case channel
    /// OpenCode: the generated plugin prompts the idle session.
    case plugin
    /// Pi: the generated extension sends a follow-up message.
    case `extension`
    /// Codex and custom commands: a line typed into the agent's terminal.
    case typed
    /// Pushes off (or nudges off for a typed runtime): mail waits until the agent calls `check_messages`.
    case none

    /// One line for humans: what the path does and what can stop it.
    public var explanation: String {
        switch self {
        case .channel:
            "a <channel> block in Claude's conversation; it reaches the model only in an interactive session with channels "
                + "available (not `claude -p`; CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 or DISABLE_TELEMETRY=1 switch it off)"
        case .plugin: "the OpenCode plugin prompts the idle session"
        case .extension: "the Pi extension sends a follow-up message"
        case .typed: "a line typed into its terminal when output and you are quiet and no prompt shows"
        case .none: "none: mail waits until the agent calls check_messages"
        }
    }
}

extension AgentResponse {
    /// The push path this agent's runtime and switches give it.
    public var pushPath: AgentPushPath {
        guard self.pushEnabled else { return .none }
        switch self.runtime {
        case .claude: return .channel
        case .opencode: return .plugin
        case .pi: return .extension
        case .codex, .custom: return self.nudgeEnabled ? .typed : .none
        }
    }
}
