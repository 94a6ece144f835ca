import Foundation
import PostgresNIO
import WhatsAgentCore

/// Channels (``ChannelStore``): create, join and leave (each one transaction under the workspace's lock, the caller's
/// RBAC check inside it), membership, pages and unread posts. A post is ``postToChannel(_:decide:)``.
extension PostgresWorkspaceStore {
    // MARK: - Writes

    package func ensureSharedChannel(now: Date) async throws {
        // A write transaction only to learn that the row is there: once is enough per store.
        guard !self.sharedChannelExists else { return }
        try await self.write { connection in try await self.ensureSharedChannel(now: now, on: connection) }
        self.sharedChannelSeen()
    }

    package func createChannel(
        _ name: String,
        by creator: String,
        member: AgentID?,
        now: Date,
        check: ToolCheck?
    ) async throws -> WhatsAgentCore.Channel {
        try await self.checkedWrite(check) { connection in
            let taken = try await self.values(
                Int64.self,
                "SELECT id FROM channel WHERE workspace_id = \(self.id) AND lower(name) = lower(\(name))",
                on: connection
            )
            guard taken.isEmpty else { throw DomainError.channelNameTaken(name) }
            let ids = try await self.values(
                Int64.self,
                "INSERT INTO channel (workspace_id, name, created_by, created_at) VALUES (\(self.id), \(name), \(creator), \(now)) RETURNING id",
                on: connection
            )
            guard let id = ids.first else { throw DomainError(.storage, "channel #\(name) was not stored") }
            if let member { try await self.join(id, member, now: now, on: connection) }
            return WhatsAgentCore.Channel(id: id, name: name, createdBy: creator, createdAt: now)
        }
    }

    package func joinChannel(_ name: String, agent: AgentID, now: Date, check: ToolCheck?) async throws -> WhatsAgentCore.Channel {
        try await self.checkedWrite(check) { connection in
            let channel = try await self.channel(named: name, on: connection)
            try await self.join(channel.id, agent, now: now, on: connection)
            return channel
        }
    }

    package func leaveChannel(_ name: String, agent: AgentID, check: ToolCheck?) async throws -> WhatsAgentCore.Channel {
        try await self.checkedWrite(check) { connection in
            let channel = try await self.channel(named: name, on: connection)
            try await connection.query(
                "DELETE FROM channel_member WHERE workspace_id = \(self.id) AND channel_id = \(channel.id) AND agent_id = \(agent.rawValue)",
                logger: self.logger
            )
            return channel
        }
    }

    // MARK: - Reads

    package func channel(named name: String) async throws -> WhatsAgentCore.Channel {
        try await self.read { connection in try await self.channel(named: name, on: connection) }
    }

    package func channelSummaries(for agent: AgentID?) async throws -> [ChannelSummary] {
        try await self.read { connection in
            try await self.rows(
                """
                SELECT channel.id, channel.name, channel.created_by, channel.created_at, member.agent_id AS member_id,
                    (SELECT COUNT(*) FROM channel_post AS post WHERE post.workspace_id = channel.workspace_id
                        AND post.channel_id = channel.id)::int8 AS posts,
                    (SELECT COUNT(*) FROM channel_post AS post WHERE post.workspace_id = channel.workspace_id
                        AND post.channel_id = channel.id AND post.id > COALESCE(member.last_read_id, 0)
                        AND COALESCE(post.from_agent_id, '') <> COALESCE(\(agent?.rawValue), ''))::int8 AS unread
                FROM channel
                LEFT JOIN channel_member AS member ON member.workspace_id = channel.workspace_id AND member.channel_id = channel.id
                    AND member.agent_id = \(agent?.rawValue)
                WHERE channel.workspace_id = \(self.id)
                ORDER BY channel.name COLLATE "C"
                """,
                on: connection
            ) { row in
                let channel = WhatsAgentCore.Channel(
                    id: try row.value("id"),
                    name: try row.value("name"),
                    createdBy: try row.value("created_by"),
                    createdAt: try row.value("created_at")
                )
                return ChannelSummary(
                    channel: channel,
                    viewer: agent,
                    joined: try row.value("member_id", as: String?.self) != nil,
                    unread: try row.value("unread"),
                    posts: try row.value("posts")
                )
            }
        }
    }

    package func isMember(_ agent: AgentID, of channel: WhatsAgentCore.Channel) async throws -> Bool {
        if channel.name == WhatsAgentCore.Channel.sharedName { return true }
        return try await self.read { connection in
            try await !self.values(
                Int64.self,
                """
                SELECT channel_id FROM channel_member
                WHERE workspace_id = \(self.id) AND channel_id = \(channel.id) AND agent_id = \(agent.rawValue)
                """,
                on: connection
            ).isEmpty
        }
    }

    package func posts(in channel: WhatsAgentCore.Channel, sinceID: Int64?, beforeID: Int64?, limit: Int) async throws -> [ChannelPost] {
        try await self.read { connection in
            if let sinceID {
                return try await self.posts(
                    """
                    SELECT \(unescaped: Self.postColumns) FROM channel_post AS post
                    JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
                    WHERE post.workspace_id = \(self.id) AND post.channel_id = \(channel.id) AND post.id > \(sinceID)
                    ORDER BY post.id LIMIT \(limit)
                    """,
                    on: connection
                )
            }
            let newest = try await self.posts(
                """
                SELECT \(unescaped: Self.postColumns) FROM channel_post AS post
                JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
                WHERE post.workspace_id = \(self.id) AND post.channel_id = \(channel.id) AND post.id < \(beforeID ?? Int64.max)
                ORDER BY post.id DESC LIMIT \(limit)
                """,
                on: connection
            )
            return Array(newest.reversed())
        }
    }

    package func unreadPosts(for agent: AgentID) async throws -> [ChannelPost] {
        try await self.read { connection in
            try await self.posts(
                """
                SELECT \(unescaped: Self.postColumns) FROM channel_post AS post
                JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
                JOIN channel_member AS member ON member.workspace_id = post.workspace_id AND member.channel_id = post.channel_id
                    AND member.agent_id = \(agent.rawValue)
                WHERE post.workspace_id = \(self.id) AND post.id > member.last_read_id AND COALESCE(post.from_agent_id, '') <> \(agent.rawValue)
                ORDER BY post.id
                """,
                on: connection
            )
        }
    }

    package func members(of channel: WhatsAgentCore.Channel) async throws -> [Agent] {
        try await self.read { connection in
            let agents = try await self.agents(on: connection)
            if channel.name == WhatsAgentCore.Channel.sharedName { return agents }
            let members = try await self.members(of: channel, on: connection)
            return agents.filter { members.contains($0.id) }
        }
    }
}
