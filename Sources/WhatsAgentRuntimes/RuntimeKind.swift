/// The runtimes WhatsAgent can launch (SPEC §6.3). The raw values are the names the API and the CLI use.
///
/// WhatsAgentCore has its own `Runtime` enum with the same raw values; the daemon converts between them by raw value
/// (this module depends on nothing but WhatsAgentAPI and Foundation).
public enum RuntimeKind: String, Sendable, CaseIterable, Codable {
    case claude
    case codex
    case opencode
    case pi
    case custom

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
