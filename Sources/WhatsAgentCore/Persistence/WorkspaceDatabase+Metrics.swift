import Foundation
import GRDB

extension WorkspaceDatabase {
    /// Live sessions and waiting messages by kind, for the scrape-time gauges. One read.
    func metricCounts() throws -> (liveSessions: Int, queued: [String: Int]) {
        try self.writer.read { db in
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session WHERE endedAt IS NULL") ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS waiting FROM message WHERE state IN ('queued', 'pushed') GROUP BY kind")
            return (live, Dictionary(uniqueKeysWithValues: rows.map { ($0["kind"] as String, $0["waiting"] as Int) }))
        }
    }

    /// What acknowledging `leaseID` will mark delivered, by kind: leased direct/broadcast/kanban messages still
    /// waiting, and `channel` for the leased unread posts. Read just before the acknowledgement, for the delivered
    /// counter.
    func leasedKinds(leaseID: String, agent: AgentID) async throws -> [String: Int] {
        try await self.writer.read { db in
            var kinds: [String: Int] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, COUNT(*) AS leased FROM message
                    WHERE leaseId = ? AND toAgentId = ? AND state IN ('queued', 'pushed') GROUP BY kind
                    """,
                arguments: [leaseID, agent.rawValue]
            )
            for row in rows { kinds[row["kind"], default: 0] += row["leased"] as Int }
            let posts =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM channelMember AS member JOIN channelPost AS post ON post.channelId = member.channelId
                        WHERE member.pendingLeaseId = ? AND member.agentId = ? AND post.id > member.lastReadId
                          AND post.id <= member.pendingReadId AND IFNULL(post.fromAgentId, '') != ?
                        """,
                    arguments: [leaseID, agent.rawValue, agent.rawValue]
                ) ?? 0
            if posts > 0 { kinds["channel"] = posts }
            return kinds
        }
    }
}
