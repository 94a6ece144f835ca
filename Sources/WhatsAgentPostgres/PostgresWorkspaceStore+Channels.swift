import Foundation
import PostgresNIO
import WhatsAgentCore

/// A post in a channel (``MessagingStore/postToChannel(_:decide:)``) and the channel rows the use cases share.
extension PostgresWorkspaceStore {
    package func postToChannel(
        _ request: ChannelPostRequest,
        decide: @Sendable (ChannelPostFacts) throws -> Void
    ) async throws -> ChannelPostCommit {
        let commit = try await withoutActuallyEscaping(decide) { decide in
            try await self.checkedWrite(request.check) { connection in
                try await self.ensureSharedChannel(now: request.now, on: connection)
                let channel: WhatsAgentCore.Channel
                var rootID: Int64?
                switch request.target {
                case .channel(let name):
                    channel = try await self.channel(named: name, on: connection)
                case .reply(let id):
                    guard let parent = try await self.post(id: id, on: connection) else { throw DomainError.channelPostNotFound(id) }
                    channel = try await self.channel(named: parent.channelName, on: connection)
                    rootID = parent.rootID ?? parent.id
                }
                var facts = ChannelPostFacts(channel: channel, senderMuted: false, senderIsMember: true)
                if let sender = request.senderAgentID {
                    facts.senderMuted = try await self.isMuted(sender, on: connection)
                    if channel.name != WhatsAgentCore.Channel.sharedName {
                        facts.senderIsMember = try await self.members(of: channel, on: connection).contains(sender)
                    }
                }
                try decide(facts)
                let agents = try await self.agents(on: connection)
                if channel.name == WhatsAgentCore.Channel.sharedName {
                    // Every agent joins #shared before a post there, so that it counts as unread for all of them.
                    try await connection.query(
                        """
                        INSERT INTO channel_member (workspace_id, channel_id, agent_id, joined_at, last_read_id)
                        SELECT agent.workspace_id, \(channel.id), agent.id, \(request.now),
                            (SELECT COALESCE(MAX(id), 0) FROM channel_post WHERE workspace_id = \(self.id) AND channel_id = \(channel.id))
                        FROM agent WHERE agent.workspace_id = \(self.id)
                        ON CONFLICT DO NOTHING
                        """,
                        logger: self.logger
                    )
                }
                let ids = try await self.values(
                    Int64.self,
                    """
                    INSERT INTO channel_post (workspace_id, channel_id, from_agent_id, from_address, root_id, body, search_text, sent_at)
                    VALUES (\(self.id), \(channel.id), \(request.senderAgentID?.rawValue), \(request.fromAddress), \(rootID), \(request.body),
                        \(PostgresSearchText.searchText(request.body)), \(request.now))
                    RETURNING id
                    """,
                    on: connection
                )
                guard let id = ids.first else { throw DomainError(.storage, "the channel post was not stored") }
                let post = request.post(id: id, in: channel, rootID: rootID)
                var outbox = StoreOutbox(events: [.message(MessageNotice(post))])
                let members =
                    channel.name == WhatsAgentCore.Channel.sharedName ? Set(agents.map(\.id)) : try await self.members(of: channel, on: connection)
                for agent in agents where members.contains(agent.id) && agent.id != request.senderAgentID {
                    if let plan = try await self.planPush(to: agent, connected: request.connected, now: request.now, on: connection).plan {
                        outbox.pushes.append(plan)
                    }
                }
                return ChannelPostCommit(post: post, outbox: outbox)
            }
        }
        self.sharedChannelSeen()
        return commit
    }

    /// Creates `#shared` inside the caller's transaction unless this store has seen it.
    func ensureSharedChannel(now: Date, on connection: PostgresConnection) async throws {
        guard !self.sharedChannelExists else { return }
        try await connection.query(
            """
            INSERT INTO channel (workspace_id, name, created_by, created_at) VALUES (\(self.id), \(WhatsAgentCore.Channel.sharedName), 'system', \(now))
            ON CONFLICT DO NOTHING
            """,
            logger: self.logger
        )
    }

    /// Makes `agent` a member of `channel` at the channel's current end (history stays readable, not unread).
    func join(_ channelID: Int64, _ agent: AgentID, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO channel_member (workspace_id, channel_id, agent_id, joined_at, last_read_id)
            VALUES (\(self.id), \(channelID), \(agent.rawValue), \(now),
                (SELECT COALESCE(MAX(id), 0) FROM channel_post WHERE workspace_id = \(self.id) AND channel_id = \(channelID)))
            ON CONFLICT DO NOTHING
            """,
            logger: self.logger
        )
    }

    /// The channel named `name`.
    /// - Throws: `not_found`.
    func channel(named name: String, on connection: PostgresConnection) async throws -> WhatsAgentCore.Channel {
        let found = try await self.rows(
            "SELECT id, name, created_by, created_at FROM channel WHERE workspace_id = \(self.id) AND name = \(name)",
            on: connection
        ) { row in
            WhatsAgentCore.Channel(
                id: try row.value("id"),
                name: try row.value("name"),
                createdBy: try row.value("created_by"),
                createdAt: try row.value("created_at")
            )
        }
        guard let channel = found.first else { throw DomainError.channelNotFound(name) }
        return channel
    }

    /// The post with `id`, if any.
    func post(id: Int64, on connection: PostgresConnection) async throws -> ChannelPost? {
        try await self.posts(
            """
            SELECT \(unescaped: Self.postColumns) FROM channel_post AS post
            JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
            WHERE post.workspace_id = \(self.id) AND post.id = \(id)
            """,
            on: connection
        ).first
    }

    /// The posts of `query` (which selects ``postColumns``).
    func posts(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [ChannelPost] {
        try await self.rows(query, on: connection, Self.decodePost)
    }

    /// A post from a row of ``postColumns``.
    static func decodePost(_ row: PostgresRandomAccessRow) throws -> ChannelPost {
        ChannelPost(
            id: try row.value("id"),
            channelID: try row.value("channel_id"),
            channelName: try row.value("channel_name"),
            fromAgentID: try row.value("from_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            fromAddress: try row.value("from_address"),
            rootID: try row.value("root_id"),
            body: try row.value("body"),
            sentAt: try row.value("sent_at")
        )
    }

    /// A post's columns (`post`), with its channel's name (`channel`).
    static let postColumns = """
        post.id, post.channel_id, channel.name AS channel_name, post.from_agent_id, post.from_address, post.root_id, post.body, post.sent_at
        """

    /// The members of `channel` (not #shared's implicit ones).
    func members(of channel: WhatsAgentCore.Channel, on connection: PostgresConnection) async throws -> Set<AgentID> {
        Set(
            try await self.values(
                String.self,
                "SELECT agent_id FROM channel_member WHERE workspace_id = \(self.id) AND channel_id = \(channel.id)",
                on: connection
            ).map(AgentID.init(rawValue:))
        )
    }
}
