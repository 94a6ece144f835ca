import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Creates `#shared` when it does not exist yet. Idempotent.
    package func ensureSharedChannel(now: Date) async throws {
        // A write transaction per check_messages only to learn that the row is there: once is enough per process.
        guard !self.sharedChannelExists.isSet else { return }
        try await self.writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO channel (name, createdBy, createdAt) VALUES (?, 'system', ?)",
                arguments: [Channel.sharedName, now]
            )
        }
        self.sharedChannelExists.set()
    }

    package func createChannel(_ name: String, by creator: String, member: AgentID?, now: Date, check: ToolCheck?) async throws -> Channel {
        try await self.checkedWrite(check) { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM channel WHERE name = ?", arguments: [name]) != nil {
                throw DomainError.channelNameTaken(name)
            }
            try db.execute(sql: "INSERT INTO channel (name, createdBy, createdAt) VALUES (?, ?, ?)", arguments: [name, creator, now])
            let channel = Channel(id: db.lastInsertedRowID, name: name, createdBy: creator, createdAt: now)
            if let member { try Self.join(channel.id, member, now: now, db) }
            return channel
        }
    }

    package func channel(named name: String) async throws -> Channel {
        try await self.writer.read { db in try Self.channel(named: name, db) }
    }

    /// Every channel with the agent's membership and unread count (nil agent: the human, member of all).
    package func channelSummaries(for agent: AgentID?) async throws -> [ChannelSummary] {
        try await self.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT channel.*, member.lastReadId AS lastReadId, member.agentId AS memberId,
                           (SELECT COUNT(*) FROM channelPost WHERE channelPost.channelId = channel.id) AS posts,
                           (SELECT COUNT(*) FROM channelPost WHERE channelPost.channelId = channel.id
                              AND channelPost.id > IFNULL(member.lastReadId, 0)
                              AND IFNULL(channelPost.fromAgentId, '') != IFNULL(?, '')) AS unread
                    FROM channel LEFT JOIN channelMember AS member ON member.channelId = channel.id AND member.agentId = ?
                    ORDER BY channel.name
                    """,
                arguments: [agent?.rawValue, agent?.rawValue]
            )
            return rows.map { row in
                ChannelSummary(channel: Self.channel(row), viewer: agent, joined: row["memberId"] != nil, unread: row["unread"], posts: row["posts"])
            }
        }
    }

    package func joinChannel(_ name: String, agent: AgentID, now: Date, check: ToolCheck?) async throws -> Channel {
        try await self.checkedWrite(check) { db in
            let channel = try Self.channel(named: name, db)
            try Self.join(channel.id, agent, now: now, db)
            return channel
        }
    }

    package func leaveChannel(_ name: String, agent: AgentID, check: ToolCheck?) async throws -> Channel {
        try await self.checkedWrite(check) { db in
            let channel = try Self.channel(named: name, db)
            try db.execute(sql: "DELETE FROM channelMember WHERE channelId = ? AND agentId = ?", arguments: [channel.id, agent.rawValue])
            return channel
        }
    }

    /// Whether `agent` may read and post in `channel` (everyone is in #shared).
    package func isMember(_ agent: AgentID, of channel: Channel) async throws -> Bool {
        if channel.name == Channel.sharedName { return true }
        return try await self.writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT 1 FROM channelMember WHERE channelId = ? AND agentId = ?",
                arguments: [channel.id, agent.rawValue]
            ) != nil
        }
    }

    func insertPost(
        channel: Channel,
        from address: String,
        agent: AgentID?,
        rootID: Int64?,
        body: String,
        now: Date
    ) async throws
        -> ChannelPost
    {
        try await self.writer.write { db in
            try db.execute(
                sql: "INSERT INTO channelPost (channelId, fromAgentId, fromAddress, rootId, body, sentAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [channel.id, agent?.rawValue, address, rootID, body, now]
            )
            return ChannelPost(
                id: db.lastInsertedRowID,
                channelID: channel.id,
                channelName: channel.name,
                fromAgentID: agent,
                fromAddress: address,
                rootID: rootID,
                body: body,
                sentAt: now
            )
        }
    }

    func post(id: Int64) async throws -> ChannelPost? {
        try await self.writer.read { db in try Self.post(id: id, db) }
    }

    static func post(id: Int64, _ db: Database) throws -> ChannelPost? {
        try Self.posts(db, where: "channelPost.id = ?", [id]).first
    }

    /// A page of a channel: after `sinceID` (oldest first), or the newest before `beforeID`.
    package func posts(in channel: Channel, sinceID: Int64?, beforeID: Int64?, limit: Int) async throws -> [ChannelPost] {
        try await self.writer.read { db in
            if let sinceID {
                return try Self.posts(
                    db,
                    where: "channelPost.channelId = ? AND channelPost.id > ? ORDER BY channelPost.id LIMIT ?",
                    [channel.id, sinceID, limit]
                )
            }
            let newest = try Self.posts(
                db,
                where: "channelPost.channelId = ? AND channelPost.id < ? ORDER BY channelPost.id DESC LIMIT ?",
                [channel.id, beforeID ?? Int64.max, limit]
            )
            return newest.reversed()
        }
    }

    /// Unread posts of the agent's channels (not its own), oldest first, up to `limit`. Leases them: the read cursors
    /// move only when `leaseID` is acknowledged.
    func leaseUnreadPosts(for agent: AgentID, leaseID: String, limit: Int, now: Date) async throws -> [ChannelPost] {
        try await self.writer.write { db in try Self.leaseUnreadPosts(for: agent, leaseID: leaseID, limit: limit, now: now, db) }
    }

    static func leaseUnreadPosts(for agent: AgentID, leaseID: String, limit: Int, now: Date, _ db: Database) throws -> [ChannelPost] {
        if let shared = try Row.fetchOne(db, sql: "SELECT id FROM channel WHERE name = ?", arguments: [Channel.sharedName]) {
            try Self.join(shared["id"], agent, now: now, db)
        }
        let posts = try Self.posts(
            db,
            where: """
                channelPost.id > member.lastReadId AND IFNULL(channelPost.fromAgentId, '') != ?
                ORDER BY channelPost.id LIMIT ?
                """,
            [agent.rawValue, limit],
            member: agent
        )
        for (channelID, group) in Dictionary(grouping: posts, by: \.channelID) {
            try db.execute(
                sql: "UPDATE channelMember SET pendingLeaseId = ?, pendingReadId = ? WHERE channelId = ? AND agentId = ?",
                arguments: [leaseID, group.map(\.id).max(), channelID, agent.rawValue]
            )
        }
        return posts
    }

    /// Unread posts of `agent` (for push hints).
    package func unreadPosts(for agent: AgentID) async throws -> [ChannelPost] {
        try await self.writer.read { db in try Self.unreadPosts(for: agent, db) }
    }

    static func unreadPosts(for agent: AgentID, _ db: Database) throws -> [ChannelPost] {
        try Self.posts(
            db,
            where: "channelPost.id > member.lastReadId AND IFNULL(channelPost.fromAgentId, '') != ? ORDER BY channelPost.id",
            [agent.rawValue],
            member: agent
        )
    }

    /// Creates `#shared` inside the caller's transaction when this process has not seen it yet (``ensureSharedChannel(now:)``).
    func ensureSharedChannel(now: Date, _ db: Database) throws {
        guard !self.sharedChannelExists.isSet else { return }
        try db.execute(
            sql: "INSERT OR IGNORE INTO channel (name, createdBy, createdAt) VALUES (?, 'system', ?)",
            arguments: [Channel.sharedName, now]
        )
    }

    /// Makes every agent a member of `channel` (used for #shared before a post, so the post counts as unread).
    func joinAll(_ channel: Channel, now: Date) async throws {
        try await self.writer.write { db in
            for agent in try String.fetchAll(db, sql: "SELECT id FROM agent") {
                try Self.join(channel.id, AgentID(rawValue: agent), now: now, db)
            }
        }
    }

    /// Agents who receive posts of `channel` (every agent for #shared).
    package func members(of channel: Channel) async throws -> [Agent] {
        if channel.name == Channel.sharedName { return try await self.agents() }
        let ids = try await self.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT agentId FROM channelMember WHERE channelId = ?", arguments: [channel.id]))
        }
        return try await self.agents().filter { ids.contains($0.id.rawValue) }
    }

    // MARK: Helpers

    static func join(_ channelID: Int64, _ agent: AgentID, now: Date, _ db: Database) throws {
        // A new member starts at the channel's current end: history stays readable with read_channel_messages,
        // but it is not pushed as unread.
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO channelMember (channelId, agentId, joinedAt, lastReadId)
                VALUES (?, ?, ?, (SELECT IFNULL(MAX(id), 0) FROM channelPost WHERE channelId = ?))
                """,
            arguments: [channelID, agent.rawValue, now, channelID]
        )
    }

    static func channel(named name: String, _ db: Database) throws -> Channel {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM channel WHERE name = ?", arguments: [name]) else {
            throw DomainError.channelNotFound(name)
        }
        return Self.channel(row)
    }

    private static func channel(_ row: Row) -> Channel {
        Channel(id: row["id"], name: row["name"], createdBy: row["createdBy"], createdAt: row["createdAt"])
    }

    private static func posts(
        _ db: Database,
        where condition: String,
        _ arguments: [(any DatabaseValueConvertible)?],
        member: AgentID? = nil
    )
        throws -> [ChannelPost]
    {
        let join = member == nil ? "" : "JOIN channelMember AS member ON member.channelId = channelPost.channelId AND member.agentId = ?"
        // Cached: the conditions are fixed strings, and the unread-posts lookup runs on every push.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT channelPost.*, channel.name AS channelName FROM channelPost JOIN channel ON channel.id = channelPost.channelId \(join) WHERE \(condition)"
            ),
            arguments: StatementArguments((member.map { [$0.rawValue] } ?? []) + arguments)
        )
        return rows.map { row in
            ChannelPost(
                id: row["id"],
                channelID: row["channelId"],
                channelName: row["channelName"],
                fromAgentID: (row["fromAgentId"] as String?).map(AgentID.init(rawValue:)),
                fromAddress: row["fromAddress"],
                rootID: row["rootId"],
                body: row["body"],
                sentAt: row["sentAt"]
            )
        }
    }
}
