import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Direct and broadcast messages matching `query`, best first (bm25), with the total number of matches. With
    /// `agent`, only what that agent sent or received and that was not refused or held; without, everything (the
    /// human). A broadcast counts once: by its first row for the human and for its sender. One read transaction.
    package func searchMessages(
        _ query: SearchQuery,
        visibleTo agent: AgentID?,
        sender: String?,
        limit: Int
    ) async throws -> SearchPage<MessageSearchHit> {
        var conditions = ["message_fts MATCH ?", "message.kind IN ('direct', 'broadcast')"]
        var arguments: [DatabaseValue] = [query.match.databaseValue]
        let laterBroadcastRow = """
            message.kind = 'broadcast' AND EXISTS (SELECT 1 FROM message AS earlier
                WHERE earlier.threadId = message.threadId AND earlier.id < message.id)
            """
        if let agent {
            conditions.append("(message.fromAgentId = ? OR message.toAgentId = ?)")
            conditions.append("message.state IN ('queued', 'pushed', 'surfaced', 'acknowledged')")
            conditions.append("NOT (message.fromAgentId IS ? AND \(laterBroadcastRow))")
            arguments += [agent.rawValue, agent.rawValue, agent.rawValue].map(\.databaseValue)
        } else {
            conditions.append("NOT (\(laterBroadcastRow))")
        }
        if let sender {
            conditions.append("message.fromAddress = ? COLLATE NOCASE")
            arguments.append(sender.databaseValue)
        }
        // CROSS JOIN keeps the full-text index driving the join (as in board search): left to itself the planner may
        // walk a message index and probe the index once per row.
        let from = "FROM message_fts CROSS JOIN message ON message.id = message_fts.rowid WHERE \(conditions.joined(separator: " AND "))"
        let bound = arguments
        return try await self.search(query) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)", arguments: StatementArguments(bound)) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT message.*, bm25(message_fts) AS searchRank \(from) ORDER BY searchRank, message.id DESC LIMIT ?",
                arguments: StatementArguments(bound + [limit.databaseValue])
            )
            let hits = try rows.map { row in
                let message = try MessageRecord(row: row).domain
                return MessageSearchHit(message: message, preview: query.preview(of: message.body), rank: row["searchRank"])
            }
            return SearchPage(hits: hits, total: total)
        }
    }

    /// Channel posts matching `query`, best first (bm25), with the total number of matches. With `agent`, only posts
    /// of channels it is a member of (every agent is in #shared); `channel` narrows to one channel. One read transaction.
    package func searchPosts(
        _ query: SearchQuery,
        visibleTo agent: AgentID?,
        channel: Channel?,
        sender: String?,
        limit: Int
    ) async throws -> SearchPage<ChannelSearchHit> {
        var conditions = ["channelPost_fts MATCH ?"]
        var arguments: [DatabaseValue] = [query.match.databaseValue]
        if let agent {
            conditions.append(
                "(channel.name = ? OR EXISTS (SELECT 1 FROM channelMember AS member WHERE member.channelId = channelPost.channelId AND member.agentId = ?))"
            )
            arguments += [Channel.sharedName, agent.rawValue].map(\.databaseValue)
        }
        if let channel {
            conditions.append("channelPost.channelId = ?")
            arguments.append(channel.id.databaseValue)
        }
        if let sender {
            conditions.append("channelPost.fromAddress = ? COLLATE NOCASE")
            arguments.append(sender.databaseValue)
        }
        // CROSS JOIN: with a channel filter the planner otherwise walks every post of the channel and probes the
        // full-text index once per post.
        let from = """
            FROM channelPost_fts CROSS JOIN channelPost ON channelPost.id = channelPost_fts.rowid
            CROSS JOIN channel ON channel.id = channelPost.channelId WHERE \(conditions.joined(separator: " AND "))
            """
        let bound = arguments
        return try await self.search(query) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)", arguments: StatementArguments(bound)) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT channelPost.*, channel.name AS channelName, bm25(channelPost_fts) AS searchRank \(from)
                    ORDER BY searchRank, channelPost.id DESC LIMIT ?
                    """,
                arguments: StatementArguments(bound + [limit.databaseValue])
            )
            let hits = rows.map { row in
                let post = ChannelPost(
                    id: row["id"],
                    channelID: row["channelId"],
                    channelName: row["channelName"],
                    fromAgentID: (row["fromAgentId"] as String?).map(AgentID.init(rawValue:)),
                    fromAddress: row["fromAddress"],
                    rootID: row["rootId"],
                    body: row["body"],
                    sentAt: row["sentAt"]
                )
                return ChannelSearchHit(post: post, preview: query.preview(of: post.body), rank: row["searchRank"])
            }
            return SearchPage(hits: hits, total: total)
        }
    }

    /// Runs a search read. The query is always a quoted phrase, so SQLite cannot see FTS syntax in it; should it still
    /// refuse the MATCH, that is reported as a bad query, never as a storage failure.
    private func search<Hit: Sendable>(
        _ query: SearchQuery,
        _ body: @escaping @Sendable (Database) throws -> SearchPage<Hit>
    ) async throws -> SearchPage<Hit> {
        do {
            return try await self.writer.read(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            throw DomainError.invalidArgument("the search query '\(query.text)' cannot be searched (\(error.message ?? "rejected")); use plain words")
        }
    }
}
