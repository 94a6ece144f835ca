import WhatsAgentAPI

/// The runtimes WhatsAgent can launch (SPEC §6.3), declared once in WhatsAgentAPI (the core's `Runtime` is the same
/// type); this module adds how each is launched.
public typealias RuntimeKind = RuntimeValue

extension RuntimeKind {
    /// The command used when nothing else is configured; nil for `custom`, which always needs one.
    public var defaultCommand: String? {
        switch self {
        case .claude: "claude"
        case .codex: "codex"
        case .opencode: "opencode"
        case .pi: "pi"
        case .custom: nil
        }
    }
}
