import Foundation
import PostgresNIO
import WhatsAgentCore

/// `check_messages`'s lease, its acknowledgement, and the human's conversations.
extension PostgresWorkspaceStore {
    package func leaseInbox(_ request: InboxLeaseRequest) async throws -> InboxLease {
        let lease = try await self.write { connection in
            let messages = try await self.messages(
                """
                SELECT \(unescaped: Self.messageColumns) FROM message
                WHERE workspace_id = \(self.id) AND to_agent_id = \(request.agent.rawValue) AND state IN \(unescaped: Message.State.waitingSQL)
                ORDER BY id LIMIT \(request.limit)
                """,
                on: connection
            )
            if !messages.isEmpty {
                // Surfaced messages stay waiting: the waiting-mail counts do not move.
                try await connection.query(
                    """
                    UPDATE message SET lease_id = \(request.leaseID), lease_session_id = \(request.session.rawValue),
                        deliveries = deliveries + 1, state = 'surfaced', surfaced_at = \(request.now)
                    WHERE workspace_id = \(self.id) AND id = ANY(\(messages.map(\.id)))
                    """,
                    logger: self.logger
                )
            }
            var posts: [ChannelPost] = []
            if messages.count < request.limit {
                try await self.ensureSharedChannel(now: request.now, on: connection)
                posts = try await self.leaseUnreadPosts(request, limit: request.limit - messages.count, on: connection)
            }
            let outbox = StoreOutbox(events: messages.isEmpty ? [] : [.messageState(messageIDs: messages.map(\.wireID), state: .surfaced)])
            return InboxLease(messages: messages, posts: posts, outbox: outbox)
        }
        if lease.messages.count < request.limit { self.sharedChannelSeen() }
        return lease
    }

    package func acknowledge(lease leaseID: String, agent: AgentID, now: Date) async throws -> LeaseAcknowledgement {
        try await self.write { connection in
            var leased: [(id: Int64, kind: String)] = []
            for try await row in try await connection.query(
                """
                SELECT id, kind FROM message WHERE workspace_id = \(self.id) AND lease_id = \(leaseID) AND to_agent_id = \(agent.rawValue)
                    AND state IN \(unescaped: Message.State.waitingSQL)
                ORDER BY id
                """,
                logger: self.logger
            ).decode((Int64, String).self) {
                leased.append(row)
            }
            var kinds: [String: Int] = [:]
            for row in leased { kinds[row.kind, default: 0] += 1 }
            let posts =
                try await self.values(
                    Int.self,
                    """
                    SELECT COUNT(*)::int8 FROM channel_member AS member
                    JOIN channel_post AS post ON post.workspace_id = member.workspace_id AND post.channel_id = member.channel_id
                    WHERE member.workspace_id = \(self.id) AND member.pending_lease_id = \(leaseID) AND member.agent_id = \(agent.rawValue)
                        AND post.id > member.last_read_id AND post.id <= member.pending_read_id
                        AND COALESCE(post.from_agent_id, '') <> \(agent.rawValue)
                    """,
                    on: connection
                ).first ?? 0
            if !leased.isEmpty {
                for (kind, count) in kinds { try await self.countWaiting(agent, kind: kind, by: -count, on: connection) }
                try await connection.query(
                    "UPDATE message SET state = 'acknowledged', delivered_at = \(now) WHERE workspace_id = \(self.id) AND id = ANY(\(leased.map(\.id)))",
                    logger: self.logger
                )
            }
            if posts > 0 { kinds["channel"] = posts }
            let channels = try await self.values(
                Int64.self,
                """
                UPDATE channel_member
                SET last_read_id = GREATEST(last_read_id, pending_read_id), acked_lease_id = pending_lease_id, pending_lease_id = NULL,
                    pending_read_id = NULL
                WHERE workspace_id = \(self.id) AND pending_lease_id = \(leaseID) AND agent_id = \(agent.rawValue)
                RETURNING channel_id
                """,
                on: connection
            ).count
            if leased.isEmpty && channels == 0 {
                // Nothing to acknowledge: a repeat of this agent's own acknowledgement (`whatsagent mcp` retries after a
                // reconnect) is fine; another agent's lease, or one never issued, is not.
                let own = try await self.values(
                    Bool.self,
                    """
                    SELECT EXISTS(SELECT 1 FROM message WHERE workspace_id = \(self.id) AND lease_id = \(leaseID) AND to_agent_id = \(agent.rawValue))
                        OR EXISTS(SELECT 1 FROM channel_member WHERE workspace_id = \(self.id) AND acked_lease_id = \(leaseID)
                            AND agent_id = \(agent.rawValue))
                    """,
                    on: connection
                )
                guard own.first == true else { throw DomainError.leaseNotFound(leaseID) }
            }
            return LeaseAcknowledgement(messageIDs: leased.map(\.id), kinds: kinds, channels: channels)
        }
    }

    package func humanConversation(peer: String?, limit: Int, now: Date, broadcasts: Bool) async throws -> [Message] {
        try await self.write { connection in
            let human = MessageSender.humanAddress
            // Direct messages to or from the human (with `peer`, that conversation only), not the human's own refused
            // sends; with `broadcasts`, one row per broadcast (its first recipient's; with `peer`, that agent's).
            let newest = try await self.messages(
                """
                SELECT \(unescaped: Self.messageColumns) FROM message
                WHERE workspace_id = \(self.id) AND (
                    ((from_address = \(human) OR to_address = \(human)) AND kind = 'direct'
                        AND (\(peer)::text IS NULL OR from_address = \(peer) OR to_address = \(peer))
                        AND NOT (from_address = \(human) AND state = 'rejected'))
                    OR (\(broadcasts) AND kind = 'broadcast' AND (\(peer)::text IS NULL OR from_address = \(peer))
                        AND id IN (SELECT MIN(id) FROM message WHERE workspace_id = \(self.id) AND kind = 'broadcast' GROUP BY thread_id))
                )
                ORDER BY id DESC LIMIT \(limit)
                """,
                on: connection
            )
            var result: [Message] = []
            for message in newest.reversed() {
                guard let read = message.readByHuman(now: now) else {
                    result.append(message)
                    continue
                }
                try await connection.query(
                    """
                    UPDATE message SET state = 'acknowledged', surfaced_at = \(read.surfacedAt), delivered_at = \(read.acknowledgedAt)
                    WHERE workspace_id = \(self.id) AND id = \(read.id)
                    """,
                    logger: self.logger
                )
                result.append(read)
            }
            return result
        }
    }

    package func agent(at address: AgentAddress) async throws -> Agent {
        try await self.read { connection in try await self.agent(at: address, on: connection) }
    }

    package func recordAudit(_ entry: AuditEntry) async throws {
        try await self.write(locked: false) { connection in
            _ = try await PostgresAudit.append(entry, workspace: self.id, on: connection, logger: self.logger)
        }
    }

    package func runCheck(_ check: ToolCheck, facts: AuthorizationFacts) async throws -> ToolCheck.Outcome {
        try await self.write(locked: false) { connection in try await self.run(check, facts: facts, on: connection) }
    }

    /// Unread posts of the agent's channels (not its own; `#shared` joined first), oldest first, up to `limit`, leased
    /// to the request's lease: the read cursors move only when it is acknowledged.
    private func leaseUnreadPosts(_ request: InboxLeaseRequest, limit: Int, on connection: PostgresConnection) async throws -> [ChannelPost] {
        if let shared = try await self.values(
            Int64.self,
            "SELECT id FROM channel WHERE workspace_id = \(self.id) AND name = \(WhatsAgentCore.Channel.sharedName)",
            on: connection
        ).first {
            try await self.join(shared, request.agent, now: request.now, on: connection)
        }
        let agent = request.agent.rawValue
        let posts = try await self.posts(
            """
            SELECT \(unescaped: Self.postColumns) FROM channel_post AS post
            JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
            JOIN channel_member AS member ON member.workspace_id = post.workspace_id AND member.channel_id = post.channel_id
                AND member.agent_id = \(agent)
            WHERE post.workspace_id = \(self.id) AND post.id > member.last_read_id AND COALESCE(post.from_agent_id, '') <> \(agent)
            ORDER BY post.id LIMIT \(limit)
            """,
            on: connection
        )
        for (channelID, group) in Dictionary(grouping: posts, by: \.channelID) {
            try await connection.query(
                """
                UPDATE channel_member SET pending_lease_id = \(request.leaseID), pending_read_id = \(group.map(\.id).max())
                WHERE workspace_id = \(self.id) AND channel_id = \(channelID) AND agent_id = \(agent)
                """,
                logger: self.logger
            )
        }
        return posts
    }
}
