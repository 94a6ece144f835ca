import Foundation
import GRDB
import WhatsAgentCore

/// Chat retention (``RetentionService``). Every method is one transaction.
extension WorkspaceDatabase {
    /// Deletes the direct and broadcast messages sent before `cutoff` that are finished — `acknowledged` or
    /// `rejected`. Unacknowledged messages (`queued`, `pushed`, `surfaced`, `held`) are kept whatever their age. Returns how many were deleted.
    package func pruneMessages(before cutoff: Date) async throws -> Int {
        try await self.writer.write { db in
            try db.execute(
                sql: """
                    DELETE FROM message
                    WHERE sentAt < ? AND kind IN ('direct', 'broadcast') AND state IN ('acknowledged', 'rejected')
                    """,
                arguments: [cutoff]
            )
            return db.changesCount
        }
    }

    /// Deletes whole channel threads (root and every reply) whose newest post was sent before `cutoff` and whose
    /// every post has been read by every member of the channel (other than its author). A thread with a recent post
    /// is kept whole, so no reply outlives its root and no live thread loses its start; an unread post keeps its
    /// thread. Returns how many posts were deleted.
    package func prunePosts(before cutoff: Date) async throws -> Int {
        try await self.writer.write { db in
            let roots = try Int64.fetchAll(
                db,
                sql: """
                    SELECT thread.root FROM (
                        SELECT IFNULL(rootId, id) AS root, MAX(sentAt) AS newest FROM channelPost GROUP BY IFNULL(rootId, id)
                    ) AS thread
                    WHERE thread.newest < ? AND NOT EXISTS (
                        SELECT 1 FROM channelPost AS post
                        JOIN channelMember AS member ON member.channelId = post.channelId
                        WHERE IFNULL(post.rootId, post.id) = thread.root
                            AND member.lastReadId < post.id
                            AND member.agentId != IFNULL(post.fromAgentId, '')
                    )
                    """,
                arguments: [cutoff]
            )
            var deleted = 0
            for chunk in stride(from: 0, to: roots.count, by: 500).map({ Array(roots[$0..<min($0 + 500, roots.count)]) }) {
                let marks = chunk.map { _ in "?" }.joined(separator: ",")
                // Replies first, then the roots (the foreign key would cascade, but explicit deletes are counted).
                try db.execute(sql: "DELETE FROM channelPost WHERE rootId IN (\(marks))", arguments: StatementArguments(chunk))
                deleted += db.changesCount
                try db.execute(sql: "DELETE FROM channelPost WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
                deleted += db.changesCount
            }
            return deleted
        }
    }
}
