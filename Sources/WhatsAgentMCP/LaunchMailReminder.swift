import WhatsAgentAPI

/// Repeats, once, the mail hint of a session's start when the client may have dropped it.
///
/// Mail waiting when a session starts is pushed as soon as the client sent `notifications/initialized`. Claude Code
/// (2.1.337) registers its `notifications/claude/channel` handler only after it has our answer to its first
/// `tools/list` (its debug log says "Channel notifications registered" 33–94 ms after that answer was written,
/// 0.2–0.7 s after `initialized`) and silently drops the pushes that came before. So the latest hint pushed before the
/// settle point — a while after the first `tools/list` answer was written — is pushed once more then, unless the
/// agent called `check_messages` since. Pushes are never held back; there is at most one repeat per session; a client
/// that never lists the tools gets none.
actor LaunchMailReminder {
    static let checkMessages = "check_messages"

    /// Opened once the answer to the client's first `tools/list` has been written.
    let listed = Gate()
    private var hint: ChannelNotification?
    private var settled = false

    /// A mail hint was written to the client.
    func pushed(_ hint: ChannelNotification) {
        guard !self.settled else { return }
        self.hint = hint
    }

    /// The client called a tool: `check_messages` reads the mail, so the hint is no longer worth repeating.
    func called(_ tool: String) {
        guard tool == Self.checkMessages else { return }
        self.hint = nil
    }

    /// The answer to a `tools/list` request has been written.
    func toolsListed() async {
        await self.listed.open()
    }

    /// The settle point: the hint to push again, at most once per session; nil when there is none.
    func settle() -> ChannelNotification? {
        guard !self.settled else { return nil }
        self.settled = true
        defer { self.hint = nil }
        return self.hint
    }
}
