/// What mail does to a launched agent's terminal (SPEC §6.3, "Push"): decided from the session's push strategy and
/// the agent's two switches, `agent set --push on|off` (every push) and `--nudge on|off` (PTY typing only).
///
/// | push | nudge | Codex / custom (`.ptyNudge`)        | Claude, OpenCode, Pi              |
/// |------|-------|-------------------------------------|-----------------------------------|
/// | off  | any   | nothing                             | nothing                           |
/// | on   | on    | `.type` once the terminal is quiet  | their own push (not a nudge)      |
/// | on   | off   | `.flagOnly`: the pending-nudge flag | their own push (not a nudge)      |
public enum NudgeMode: Equatable, Sendable {
    /// Type the nudge once output has been idle and the human is not typing (flag pending until then).
    case type
    /// Never type: the session's pending-nudge flag goes up while mail waits, so a UI can offer to insert it.
    case flagOnly
}

extension PushStrategy {
    /// The nudge mode of a session with this strategy; nil when mail must not touch the terminal at all (pushes off,
    /// or a runtime that is pushed another way: MCP notification, plugin, extension). For `.appServer` it is the mode
    /// of the typed fallback, used only when the app-server did not come up.
    public func nudgeMode(pushEnabled: Bool, nudgeEnabled: Bool) -> NudgeMode? {
        guard pushEnabled else { return nil }
        switch self {
        case .ptyNudge, .appServer: return nudgeEnabled ? .type : .flagOnly
        case .mcpNotification, .plugin, .extension, .none: return nil
        }
    }
}
