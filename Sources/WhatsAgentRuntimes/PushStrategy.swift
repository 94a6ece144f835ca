/// How a launched agent learns that mail is waiting (SPEC §6.3, "Push").
public enum PushStrategy: Equatable, Sendable {
    /// Claude: `whatsagent mcp` sends `notifications/claude/channel` (the server declares `claude/channel`).
    case mcpNotification
    /// OpenCode: the generated plugin prompts the idle session (toast while busy).
    case plugin
    /// Pi: the generated extension sends a coalesced `sendUserMessage` follow-up.
    case `extension`
    /// Codex and custom commands: the runner types a nudge once the PTY output has been idle this long and the
    /// human has no draft in progress.
    case ptyNudge(idle: Duration)
    /// A managed Codex behind its app-server (docs/codex-app-server.md): the daemon starts a turn (thread idle) or
    /// steers the running one through the socket. `status` is where `codex-attach` records whether the app-server came
    /// up; when it did not, the session falls back to the typed nudge after `fallbackIdle` of quiet output.
    case appServer(socket: String, status: String, fallbackIdle: Duration)
    /// Pushes are switched off for this agent: it reads its inbox when it calls `check_messages`.
    case none
}

/// The per-agent push switches (`agent set --push on|off`) and the nudge tuning.
public struct PushSettings: Equatable, Sendable {
    /// Whether pushes are delivered at all.
    public var enabled: Bool
    /// How long PTY output must be quiet before a nudge is typed (Codex and custom commands); nil switches PTY
    /// nudges off while leaving the runtime's native push on.
    public var nudgeIdle: Duration?

    public init(enabled: Bool = true, nudgeIdle: Duration? = .seconds(1)) {
        self.enabled = enabled
        self.nudgeIdle = nudgeIdle
    }
}
