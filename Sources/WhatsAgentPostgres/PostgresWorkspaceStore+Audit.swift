import Foundation
import PostgresNIO
import WhatsAgentCore

/// The audit log and retention (``AuditStore``). An append takes no lock (it reads nothing to decide, as
/// ``recordAudit(_:)``); the prunes take the workspace's lock, as any write that deletes what a use case may be reading.
extension PostgresWorkspaceStore {
    // MARK: - Writes

    package func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        try await self.write(locked: false) { connection in
            var stored = entry
            stored.id = try await PostgresAudit.append(entry, workspace: self.id, on: connection, logger: self.logger)
            return stored
        }
    }

    package func pruneAudit(before date: Date, keepingAtMost limit: Int?) async throws -> Int {
        try await self.write { connection in
            var deleted = try await self.count(
                "DELETE FROM audit WHERE workspace_id = \(self.id) AND at < \(date) RETURNING id",
                on: connection
            )
            // Ids grow with every append, so "the newest `limit`" is everything above the limit-th highest id.
            if let limit {
                deleted += try await self.count(
                    """
                    DELETE FROM audit WHERE workspace_id = \(self.id) AND id <= (
                        SELECT id FROM audit WHERE workspace_id = \(self.id) ORDER BY id DESC LIMIT 1 OFFSET \(limit))
                    RETURNING id
                    """,
                    on: connection
                )
            }
            return deleted
        }
    }

    package func pruneMessages(before cutoff: Date) async throws -> Int {
        try await self.write { connection in
            try await self.count(
                """
                DELETE FROM message
                WHERE workspace_id = \(self.id) AND sent_at < \(cutoff) AND kind IN ('direct', 'broadcast')
                    AND state IN ('acknowledged', 'rejected')
                RETURNING id
                """,
                on: connection
            )
        }
    }

    package func prunePosts(before cutoff: Date) async throws -> Int {
        try await self.write { connection in
            let roots = try await self.values(
                Int64.self,
                """
                SELECT thread.root FROM (
                    SELECT COALESCE(root_id, id) AS root, MAX(sent_at) AS newest FROM channel_post
                    WHERE workspace_id = \(self.id) GROUP BY COALESCE(root_id, id)
                ) AS thread
                WHERE thread.newest < \(cutoff) AND NOT EXISTS (
                    SELECT 1 FROM channel_post AS post
                    JOIN channel_member AS member ON member.workspace_id = post.workspace_id AND member.channel_id = post.channel_id
                    WHERE post.workspace_id = \(self.id) AND COALESCE(post.root_id, post.id) = thread.root
                        AND member.last_read_id < post.id AND member.agent_id <> COALESCE(post.from_agent_id, '')
                )
                """,
                on: connection
            )
            guard !roots.isEmpty else { return 0 }
            // Replies first, then the roots (the foreign key would cascade, but explicit deletes are counted).
            let replies = try await self.count(
                "DELETE FROM channel_post WHERE workspace_id = \(self.id) AND root_id = ANY(\(roots)) RETURNING id",
                on: connection
            )
            let threads = try await self.count(
                "DELETE FROM channel_post WHERE workspace_id = \(self.id) AND id = ANY(\(roots)) RETURNING id",
                on: connection
            )
            return replies + threads
        }
    }

    // MARK: - Reads

    package func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        let filter = try filter.validated()
        return try await self.read { connection in
            try await self.rows(
                self.audit(
                    "id, at, kind, actor_address, actor_agent_id, tool, expected_grant, outcome, detail_json",
                    filter,
                    then: "ORDER BY at DESC, id DESC LIMIT \(filter.limit)"
                ),
                on: connection
            ) { row in
                AuditEntry(
                    id: try row.value("id"),
                    at: try row.value("at"),
                    kind: try row.value("kind"),
                    actorAddress: try row.value("actor_address"),
                    actorAgentID: try row.value("actor_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
                    tool: try row.value("tool"),
                    expectedGrant: try row.value("expected_grant"),
                    outcome: try row.value("outcome"),
                    detailJSON: try row.value("detail_json")
                )
            }
        }
    }

    package func auditCount(_ filter: AuditFilter) async throws -> Int {
        try await self.read { connection in
            try await self.values(Int.self, self.audit("COUNT(*)::int8", filter), on: connection).first ?? 0
        }
    }

    // MARK: Helpers

    /// `SELECT columns FROM audit` of the entries `filter` matches (a criterion left out matches everything), then `tail`.
    private func audit(_ columns: String, _ filter: AuditFilter, then tail: String = "") -> PostgresQuery {
        """
        SELECT \(unescaped: columns) FROM audit WHERE workspace_id = \(self.id)
            AND (\(filter.kind)::text IS NULL OR kind = \(filter.kind))
            AND (\(filter.actor)::text IS NULL OR lower(actor_address) = lower(\(filter.actor)))
            AND (\(filter.since)::timestamptz IS NULL OR at >= \(filter.since))
        \(unescaped: tail)
        """
    }

    /// How many rows `query` (a statement `RETURNING` one column) returned.
    private func count(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(query, logger: self.logger) { count += 1 }
        return count
    }
}
