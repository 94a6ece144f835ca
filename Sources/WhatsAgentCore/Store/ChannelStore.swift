import Foundation

/// Channels: create, join, leave, members, posts and read cursors.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol ChannelStore: Sendable {
    /// Creates `#shared` when it does not exist yet. Idempotent.
    func ensureSharedChannel(now: Date) async throws

    /// Creates a channel (and makes `member` its first member); one write transaction, the calling agent's RBAC `check`
    /// and its audit row included (a denial commits that row alone and is thrown).
    /// - Throws: `name_taken`.
    func createChannel(_ name: String, by creator: String, member: AgentID?, now: Date, check: ToolCheck?) async throws -> Channel

    func channel(named name: String) async throws -> Channel

    /// Every channel with the agent's membership and unread count (nil agent: the human, member of all).
    func channelSummaries(for agent: AgentID?) async throws -> [ChannelSummary]

    /// Joins a channel (idempotent); one write transaction with the agent's `check`.
    /// - Throws: `not_found`.
    func joinChannel(_ name: String, agent: AgentID, now: Date, check: ToolCheck?) async throws -> Channel

    /// Leaves a channel (idempotent); one write transaction with the agent's `check`.
    /// - Throws: `not_found`.
    func leaveChannel(_ name: String, agent: AgentID, check: ToolCheck?) async throws -> Channel

    /// Whether `agent` may read and post in `channel` (everyone is in #shared).
    func isMember(_ agent: AgentID, of channel: Channel) async throws -> Bool

    /// A page of a channel: after `sinceID` (oldest first), or the newest before `beforeID`.
    func posts(in channel: Channel, sinceID: Int64?, beforeID: Int64?, limit: Int) async throws -> [ChannelPost]

    /// Unread posts of `agent` (for push hints).
    func unreadPosts(for agent: AgentID) async throws -> [ChannelPost]

    /// Agents who receive posts of `channel` (every agent for #shared).
    func members(of channel: Channel) async throws -> [Agent]
}
