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
        var count = 0
        var kinds: Set<String> = []
        // The counts the triggers keep (v17-waiting-mail-count): O(kinds), whatever the backlog.
        for row in try Row.fetchAll(
            db.cachedStatement(sql: Self.countSQL),
            arguments: [agent.rawValue]
        ) {
            kinds.insert(row[0])
            count += row[1] as Int
        }
        let postCount =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM channelPost \(Self.unreadPostJoin)"),
                arguments: [agent.rawValue, agent.rawValue]
            ) ?? 0
        if postCount > 0 { kinds.insert("channel") }
        let posts = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT channelPost.id, channelPost.fromAddress, channel.name, IFNULL(channelPost.rootId, channelPost.id)
                    FROM channelPost JOIN channel ON channel.id = channelPost.channelId \(Self.unreadPostJoin)
                    ORDER BY channelPost.id DESC LIMIT \(Self.limit)
                    """
            ),
            arguments: [agent.rawValue, agent.rawValue]
        ).reversed().map { row in
            Item(id: "c\(row[0] as Int64)", kind: "channel", from: row[1], thread: "channel:\(row[2] as String):c\(row[3] as Int64)")
        }
        var messages: [Item] = []
        var newestMessage: Int64?
        if count > 0 {
            let rows = try Row.fetchAll(db.cachedStatement(sql: Self.newestMessagesSQL), arguments: [agent.rawValue, agent.rawValue, agent.rawValue])
            newestMessage = rows.first?[0]
            messages = rows.prefix(max(Self.limit - posts.count, 0)).reversed().map { row in
                Item(id: String(row[0] as Int64), kind: row[1], from: row[2], thread: row[3])
            }
        }
        let cursor = [newestMessage.map { String($0) }, posts.last?.id].compactMap { $0 }.joined(separator: "+")
        return MailSummary(
            count: count + postCount,
            kinds: kinds.sorted(),
            newest: messages + posts,
            cursor: cursor.isEmpty ? nil : cursor
        )
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
