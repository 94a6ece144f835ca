import MCP
import WhatsAgentAPI

/// Claude Code's channel push, `notifications/claude/channel` (SPEC §8), as an SDK notification type.
///
/// Claude shows it to the model as `<channel source="whatsagent" key="value">content</channel>`. Meta keys must be
/// identifiers and values strings, or Claude drops them silently; ``ChannelNotification`` builds them that way.
struct ClaudeChannel: MCP.Notification {
    static let name = ChannelNotification.method

    struct Parameters: Hashable, Codable, Sendable {
        var content: String
        var meta: [String: String]
    }

    static func message(_ notification: ChannelNotification) -> Message<ClaudeChannel> {
        Self.message(Parameters(content: notification.content, meta: notification.meta))
    }
}
