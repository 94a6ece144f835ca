/// How mail reaches an agent's model without it asking (SPEC §7.2 push paths). The daemon decides it (its runtime,
/// its switches, what its session reported) and sends it as ``AgentResponse/pushPath``, with the confirmation times.
public enum AgentPushPath: String, Codable, Sendable, CaseIterable {
    /// Claude: a `notifications/claude/channel` message, shown to the model as a `<channel>` block.
    case channel
    /// OpenCode: the generated plugin prompts the idle session.
    case plugin
    /// Pi: the generated extension sends a follow-up message.
    case `extension`
    /// Codex and custom commands: a line typed into the agent's terminal (a managed Claude's fallback too).
    case typed
    /// Any MCP client subscribed to `whatsagent://inbox`: `notifications/resources/updated`.
    case resource
    /// A managed Codex: the daemon starts or steers a turn through `codex app-server`.
    case appServer = "app-server"
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
        case .resource: "notifications/resources/updated for whatsagent://inbox, which its MCP client subscribed to"
        case .appServer: "a turn started (or steered) through its Codex app-server, with no keystroke"
        case .none: "none: mail waits until the agent calls check_messages"
        }
    }
}
