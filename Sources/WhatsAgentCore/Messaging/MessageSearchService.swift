import Foundation

/// Full-text search over direct/broadcast messages and channel posts (SPEC §8, reference §13.5), ranked with bm25.
///
/// What a searcher sees: an agent finds the direct and broadcast messages it sent or received (never refused or
/// held ones) and the posts of the channels it is a member of (everyone is in `#shared`); the human finds every
/// direct and broadcast message of the workspace, refused ones included, and every channel's posts. A broadcast is
/// found once, not once per recipient.
///
/// ```swift
/// let page = try await search.directMessages(workspace: nil, as: .human, query: "deploy", sender: "api:dev", limit: nil)
/// for hit in page.hits { print(hit.message.wireID, hit.preview) }
/// ```
public struct MessageSearchService: Sendable {
    let workspaces: WorkspaceService

    public init(workspaces: WorkspaceService) {
        self.workspaces = workspaces
    }

    /// Searches direct and broadcast messages. `sender` narrows to one sender (`repo:agent` or `human-web`).
    public func directMessages(
        workspace reference: String?,
        as searcher: MessageSender,
        query raw: String,
        sender: String?,
        limit: Int?
    ) async throws -> SearchPage<MessageSearchHit> {
        let query = try SearchQuery(raw)
        let limit = try SearchQuery.limit(limit)
        let sender = try Self.normalizeSender(sender)
        let (_, database) = try await self.workspaces.store(for: searcher, reference)
        return try await database.searchMessages(query, visibleTo: searcher.agentID, sender: sender, limit: limit)
    }

    /// Searches channel posts: one channel, or every channel the searcher may read. An agent naming a channel it is
    /// not a member of is refused and told to join it. Like `read_channel_messages`, searching does not depend on the
    /// topology.
    public func channelPosts(
        workspace reference: String?,
        as searcher: MessageSender,
        query raw: String,
        channel: String?,
        sender: String?,
        limit: Int?
    ) async throws -> SearchPage<ChannelSearchHit> {
        let query = try SearchQuery(raw)
        let limit = try SearchQuery.limit(limit)
        let sender = try Self.normalizeSender(sender)
        let (_, database) = try await self.workspaces.store(for: searcher, reference)
        var only: Channel?
        if let channel, !channel.trimmingCharacters(in: .whitespaces).isEmpty {
            try await database.ensureSharedChannel(now: WallClock.now())
            let found = try await database.channel(named: try Channel.normalize(channel))
            if let agent = searcher.agentID, !(try await database.isMember(agent, of: found)) {
                throw DomainError(
                    .invalidState,
                    "you are not a member of #\(found.name), so you cannot search it; join it with join_channel first (list_channels shows your channels)"
                )
            }
            only = found
        }
        return try await database.searchPosts(query, visibleTo: searcher.agentID, channel: only, sender: sender, limit: limit)
    }

    /// `human-web` (any case) or a `repo:agent` address; nil or blank means any sender.
    static func normalizeSender(_ raw: String?) throws -> String? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == MessageSender.humanAddress { return MessageSender.humanAddress }
        guard let address = try? AgentAddress(parsing: trimmed) else {
            throw DomainError.invalidArgument("sender must be repo:agent or human-web (got '\(raw)')")
        }
        return address.description
    }
}
