import Foundation
import PostgresNIO
import WhatsAgentCore

/// Full-text search over messages and channel posts (``MessageQueryStore``): the candidates through the GIN index of
/// the `search` `tsvector`, kept when their `search_text` holds the phrase as FTS5 would (``PostgresSearchText``). Best first by `ts_rank_cd` (cover density: more and closer
/// matches rank higher), handed out negated as `rank` so that lower is better, as SQLite's bm25; then newest first.
/// One read transaction each (the count and the page see one snapshot).
extension PostgresWorkspaceStore {
    package func searchMessages(
        _ query: SearchQuery,
        visibleTo agent: AgentID?,
        sender: String?,
        limit: Int
    ) async throws -> SearchPage<MessageSearchHit> {
        let (tsquery, pattern) = (PostgresSearchText.tsquery(query), PostgresSearchText.pattern(query))
        // A broadcast is one row per recipient: the human and its sender see its first row only.
        let laterBroadcastRow = """
            message.kind = 'broadcast' AND EXISTS (SELECT 1 FROM message AS earlier
                WHERE earlier.workspace_id = message.workspace_id AND earlier.thread_id = message.thread_id AND earlier.id < message.id)
            """
        @Sendable func matches(_ select: String, then tail: String = "") -> PostgresQuery {
            """
            SELECT \(unescaped: select) FROM message, to_tsquery('simple', \(tsquery)) AS query
            WHERE message.workspace_id = \(self.id) AND message.search @@ query AND message.search_text ~ \(pattern)
                AND message.kind IN ('direct', 'broadcast')
                AND (\(agent?.rawValue)::text IS NULL OR (
                    (message.from_agent_id = \(agent?.rawValue) OR message.to_agent_id = \(agent?.rawValue))
                    AND message.state IN ('queued', 'pushed', 'surfaced', 'acknowledged')
                    AND NOT (message.from_agent_id IS NOT DISTINCT FROM \(agent?.rawValue) AND \(unescaped: laterBroadcastRow))))
                AND (\(agent?.rawValue)::text IS NOT NULL OR NOT (\(unescaped: laterBroadcastRow)))
                AND (\(sender)::text IS NULL OR lower(message.from_address) = lower(\(sender)))
            \(unescaped: tail)
            """
        }
        return try await self.read { connection in
            let total = try await self.values(Int.self, matches("COUNT(*)::int8"), on: connection).first ?? 0
            let hits = try await self.rows(
                matches("\(Self.messageColumns), (-ts_rank_cd(search, query))::float8 AS rank", then: "ORDER BY rank, id DESC LIMIT \(limit)"),
                on: connection
            ) { row in
                let message = try Self.decodeMessage(row)
                return MessageSearchHit(message: message, preview: query.preview(of: message.body), rank: try row.value("rank"))
            }
            return SearchPage(hits: hits, total: total)
        }
    }

    package func searchPosts(
        _ query: SearchQuery,
        visibleTo agent: AgentID?,
        channel: WhatsAgentCore.Channel?,
        sender: String?,
        limit: Int
    ) async throws -> SearchPage<ChannelSearchHit> {
        let (tsquery, pattern) = (PostgresSearchText.tsquery(query), PostgresSearchText.pattern(query))
        @Sendable func matches(_ select: String, then tail: String = "") -> PostgresQuery {
            """
            SELECT \(unescaped: select) FROM channel_post AS post
            JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id,
            to_tsquery('simple', \(tsquery)) AS query
            WHERE post.workspace_id = \(self.id) AND post.search @@ query AND post.search_text ~ \(pattern)
                AND (\(agent?.rawValue)::text IS NULL OR channel.name = \(WhatsAgentCore.Channel.sharedName) OR EXISTS (
                    SELECT 1 FROM channel_member AS member WHERE member.workspace_id = post.workspace_id
                        AND member.channel_id = post.channel_id AND member.agent_id = \(agent?.rawValue)))
                AND (\(channel?.id)::int8 IS NULL OR post.channel_id = \(channel?.id))
                AND (\(sender)::text IS NULL OR lower(post.from_address) = lower(\(sender)))
            \(unescaped: tail)
            """
        }
        return try await self.read { connection in
            let total = try await self.values(Int.self, matches("COUNT(*)::int8"), on: connection).first ?? 0
            let posts = try await self.rows(
                matches(
                    "\(Self.postColumns), (-ts_rank_cd(post.search, query))::float8 AS rank",
                    then: "ORDER BY rank, post.id DESC LIMIT \(limit)"
                ),
                on: connection
            ) { row in
                (try Self.decodePost(row), try row.value("rank", as: Double.self))
            }
            let hits = posts.map { post, rank in ChannelSearchHit(post: post, preview: query.preview(of: post.body), rank: rank) }
            return SearchPage(hits: hits, total: total)
        }
    }
}
