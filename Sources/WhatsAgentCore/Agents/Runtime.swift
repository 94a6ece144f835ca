/// The agent runtimes WhatsAgent knows how to launch (SPEC §6.3).
public enum Runtime: String, Sendable, CaseIterable, Codable {
    case claude
    case codex
    case opencode
    case pi
    case custom
}
