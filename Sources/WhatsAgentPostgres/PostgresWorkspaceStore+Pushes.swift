import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// Pushes: what a connected agent's hint says (``MailSummary``), the marks and the session's push record written with
/// it (``PushPlan/draft(to:session:summary:record:now:)``), and their revert.
extension PostgresWorkspaceStore {
    package func preparePushes(to agents: [AgentID], connected: Set<SessionID>, now: Date) async throws -> [PushPlan] {
        guard !agents.isEmpty else { return [] }
        let plans = try await self.write { connection in
            try await self.ensureSharedChannel(now: now, on: connection)
            var plans: [PushPlan] = []
            for id in agents {
                guard let agent = try await self.agent(id: id, on: connection) else { continue }
                if let plan = try await self.planPush(to: agent, connected: connected, now: now, on: connection).plan { plans.append(plan) }
            }
            return plans
        }
        self.sharedChannelSeen()
        return plans
    }

    package func revertPushMarks(_ plan: PushPlan) async throws {
        guard !plan.markedIDs.isEmpty || plan.recordedPush != nil else { return }
        try await self.write { connection in
            // Only while this hint is still the session's last push.
            if let recorded = plan.recordedPush {
                let current = try await self.values(
                    String.self,
                    """
                    SELECT session_id FROM session_push WHERE workspace_id = \(self.id) AND session_id = \(plan.session.rawValue)
                        AND last_push_at = \(recorded.lastPushAt) AND last_push_path = \(recorded.lastPushPath?.rawValue)
                    """,
                    on: connection
                )
                if !current.isEmpty {
                    if let before = plan.recordBefore {
                        try await self.storeSessionPush(before, on: connection)
                    } else {
                        try await connection.query(
                            "DELETE FROM session_push WHERE workspace_id = \(self.id) AND session_id = \(plan.session.rawValue)",
                            logger: self.logger
                        )
                    }
                }
            }
            guard !plan.markedIDs.isEmpty else { return }
            try await connection.query(
                """
                UPDATE message SET state = 'queued', pushed_at = NULL, push_path = NULL
                WHERE workspace_id = \(self.id) AND state = 'pushed' AND pushed_at = \(plan.markedAt) AND push_path = \(plan.path.rawValue)
                    AND id = ANY(\(plan.markedIDs))
                """,
                logger: self.logger
            )
        }
    }

    /// Inside the caller's transaction: whether `agent`'s live session is connected, and if it is and its pushes are
    /// on, the push of everything waiting for it with its queued messages marked pushed.
    func planPush(
        to agent: Agent,
        connected: Set<SessionID>,
        now: Date,
        on connection: PostgresConnection
    ) async throws -> (online: Bool, plan: PushPlan?) {
        guard let session = try await self.liveSession(of: agent.id, on: connection), connected.contains(session) else { return (false, nil) }
        // Pushes paused (`agent set --push off`): mail still waits and check_messages returns it.
        guard agent.pushEnabled else { return (true, nil) }
        let summary = try await self.mailSummary(for: agent.id, on: connection)
        let record = try await self.sessionPush(of: session, on: connection)
        guard var plan = PushPlan.draft(to: agent, session: session, summary: summary, record: record, now: now) else { return (true, nil) }
        if plan.path != .none {
            plan.markedIDs = try await self.values(
                Int64.self,
                """
                UPDATE message SET state = 'pushed', pushed_at = \(now), push_path = \(plan.path.rawValue)
                WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.id.rawValue) AND state = 'queued'
                RETURNING id
                """,
                on: connection
            ).sorted()
        }
        if let recorded = plan.recordedPush { try await self.storeSessionPush(recorded, on: connection) }
        return (true, plan)
    }

    /// What waits for `agent`, read by counts and bounded lookups (issue 21), inside the caller's transaction.
    func mailSummary(for agent: AgentID, on connection: PostgresConnection) async throws -> MailSummary {
        // The waiting counts by kind, and the unread posts' count as kind NULL: one statement.
        var counts: [(kind: String, count: Int)] = []
        var postCount = 0
        for try await (kind, count) in try await connection.query(
            """
            SELECT kind, count::int8 FROM waiting_mail WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.rawValue) AND count > 0
            UNION ALL
            SELECT NULL, COUNT(*)::int8 FROM channel_post AS post
            JOIN channel_member AS member ON member.workspace_id = post.workspace_id AND member.channel_id = post.channel_id
                AND member.agent_id = \(agent.rawValue)
            WHERE post.workspace_id = \(self.id) AND post.id > member.last_read_id AND COALESCE(post.from_agent_id, '') <> \(agent.rawValue)
            """,
            logger: self.logger
        ).decode((String?, Int).self) {
            if let kind { counts.append((kind, count)) } else { postCount = count }
        }
        var posts: [MailSummary.PostRow] = []
        for try await (id, from, channel, root) in try await connection.query(
            """
            SELECT post.id, post.from_address, channel.name, COALESCE(post.root_id, post.id) FROM channel_post AS post
            JOIN channel ON channel.workspace_id = post.workspace_id AND channel.id = post.channel_id
            JOIN channel_member AS member ON member.workspace_id = post.workspace_id AND member.channel_id = post.channel_id
                AND member.agent_id = \(agent.rawValue)
            WHERE post.workspace_id = \(self.id) AND post.id > member.last_read_id AND COALESCE(post.from_agent_id, '') <> \(agent.rawValue)
            ORDER BY post.id DESC LIMIT \(MailSummary.limit)
            """,
            logger: self.logger
        ).decode((Int64, String, String, Int64).self) {
            posts.append((id, from, channel, root))
        }
        var messages: [MailSummary.WaitingRow] = []
        if counts.contains(where: { $0.count > 0 }) {
            // One bounded descent of message_inbox per waiting state, never a sort of the whole backlog.
            for try await (id, kind, from, thread) in try await connection.query(
                """
                SELECT id, kind, from_address, thread_id FROM (
                    (SELECT id, kind, from_address, thread_id FROM message WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.rawValue)
                        AND state = 'queued' ORDER BY id DESC LIMIT \(MailSummary.limit))
                    UNION ALL
                    (SELECT id, kind, from_address, thread_id FROM message WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.rawValue)
                        AND state = 'pushed' ORDER BY id DESC LIMIT \(MailSummary.limit))
                    UNION ALL
                    (SELECT id, kind, from_address, thread_id FROM message WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.rawValue)
                        AND state = 'surfaced' ORDER BY id DESC LIMIT \(MailSummary.limit))
                ) AS waiting ORDER BY id DESC LIMIT \(MailSummary.limit)
                """,
                logger: self.logger
            ).decode((Int64, String, String, String).self) {
                messages.append((id, kind, from, thread))
            }
        }
        return MailSummary(counts: counts, postCount: postCount, newestPosts: posts, newestMessages: messages)
    }

    /// `session`'s push record (nil: none stored), inside the caller's transaction.
    func sessionPush(of session: SessionID, on connection: PostgresConnection) async throws -> SessionPush? {
        try await self.sessionPushes(of: [session], on: connection).first
    }

    /// The push records of `sessions` that have one, inside the caller's transaction.
    func sessionPushes(of sessions: [SessionID], on connection: PostgresConnection) async throws -> [SessionPush] {
        try await self.rows(
            """
            SELECT session_id, inbox_subscribed, path, path_reason, last_push_at, last_push_path, unconfirmed_since, last_confirmed_at,
                last_confirmed_path
            FROM session_push WHERE workspace_id = \(self.id) AND session_id = ANY(\(sessions.map(\.rawValue)))
            """,
            on: connection
        ) { row in
            var push = SessionPush(sessionID: SessionID(rawValue: try row.value("session_id")))
            push.inboxSubscribed = try row.value("inbox_subscribed")
            push.path = try row.value("path", as: String?.self).flatMap(MessagePushPath.init(rawValue:))
            push.pathReason = try row.value("path_reason")
            push.lastPushAt = try row.value("last_push_at")
            push.lastPushPath = try row.value("last_push_path", as: String?.self).flatMap(MessagePushPath.init(rawValue:))
            push.unconfirmedSince = try row.value("unconfirmed_since")
            push.lastConfirmedAt = try row.value("last_confirmed_at")
            push.lastConfirmedPath = try row.value("last_confirmed_path", as: String?.self).flatMap(MessagePushPath.init(rawValue:))
            return push
        }
    }

    /// Stores `push` as its session's record (replacing the one stored), inside the caller's transaction.
    func storeSessionPush(_ push: SessionPush, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO session_push (workspace_id, session_id, inbox_subscribed, path, path_reason, last_push_at, last_push_path,
                unconfirmed_since, last_confirmed_at, last_confirmed_path)
            VALUES (\(self.id), \(push.sessionID.rawValue), \(push.inboxSubscribed), \(push.path?.rawValue), \(push.pathReason),
                \(push.lastPushAt), \(push.lastPushPath?.rawValue), \(push.unconfirmedSince), \(push.lastConfirmedAt),
                \(push.lastConfirmedPath?.rawValue))
            ON CONFLICT (workspace_id, session_id) DO UPDATE SET inbox_subscribed = excluded.inbox_subscribed, path = excluded.path,
                path_reason = excluded.path_reason, last_push_at = excluded.last_push_at, last_push_path = excluded.last_push_path,
                unconfirmed_since = excluded.unconfirmed_since, last_confirmed_at = excluded.last_confirmed_at,
                last_confirmed_path = excluded.last_confirmed_path
            """,
            logger: self.logger
        )
    }
}
