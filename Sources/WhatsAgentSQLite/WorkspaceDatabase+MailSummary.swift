import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// What waits for `agent` (``MailSummary``), read once.
    package func mailSummary(for agent: AgentID) async throws -> MailSummary {
        try await self.writer.read { db in try MailSummary.read(for: agent, db) }
    }
}

extension MailSummary {
    /// Inside the caller's transaction.
    static func read(for agent: AgentID, _ db: Database) throws -> MailSummary {
        // The counts the triggers keep (v17-waiting-mail-count): O(kinds), whatever the backlog.
        let counts = try Row.fetchAll(db.cachedStatement(sql: Self.countSQL), arguments: [agent.rawValue]).map { row in
            (kind: row[0] as String, count: row[1] as Int)
        }
        let postCount =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM channelPost \(Self.unreadPostJoin)"),
                arguments: [agent.rawValue, agent.rawValue]
            ) ?? 0
        let posts: [PostRow] = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT channelPost.id, channelPost.fromAddress, channel.name, IFNULL(channelPost.rootId, channelPost.id)
                    FROM channelPost JOIN channel ON channel.id = channelPost.channelId \(Self.unreadPostJoin)
                    ORDER BY channelPost.id DESC LIMIT \(Self.limit)
                    """
            ),
            arguments: [agent.rawValue, agent.rawValue]
        ).map { row in (id: row[0] as Int64, from: row[1] as String, channel: row[2] as String, root: row[3] as Int64) }
        var messages: [WaitingRow] = []
        if counts.contains(where: { $0.count > 0 }) {
            messages = try Row.fetchAll(
                db.cachedStatement(sql: Self.newestMessagesSQL),
                arguments: [agent.rawValue, agent.rawValue, agent.rawValue]
            ).map { row in (id: row[0] as Int64, kind: row[1] as String, from: row[2] as String, thread: row[3] as String) }
        }
        return MailSummary(counts: counts, postCount: postCount, newestPosts: posts, newestMessages: messages)
    }

    /// The agent's unread channel posts (not its own), through its memberships; arguments: the agent twice.
    private static let unreadPostJoin = """
        JOIN channelMember AS member ON member.channelId = channelPost.channelId AND member.agentId = ?
        WHERE channelPost.id > member.lastReadId AND IFNULL(channelPost.fromAgentId, '') != ?
        """

    /// Waiting messages by kind, as `waitingMail` keeps them. Argument: the agent.
    static let countSQL = "SELECT kind, count FROM waitingMail WHERE toAgentId = ? AND count > 0"

    /// The newest ≤ ``limit`` waiting messages, newest first: one bounded descent of message_inbox
    /// (toAgentId, state, id) per waiting state, never a sort of the whole backlog. Arguments: the agent, once per state.
    static let newestMessagesSQL: String = {
        let columns = "id, kind, fromAddress, threadId"
        let parts = ["queued", "pushed", "surfaced"].map { state in
            "SELECT * FROM (SELECT \(columns) FROM message WHERE toAgentId = ? AND state = '\(state)' ORDER BY id DESC LIMIT \(Self.limit))"
        }
        return "SELECT * FROM (\(parts.joined(separator: " UNION ALL "))) ORDER BY id DESC LIMIT \(Self.limit)"
    }()
}
