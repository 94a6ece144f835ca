import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Live sessions and waiting messages by kind, for the scrape-time gauges. One read.
    package func metricCounts() throws -> (liveSessions: Int, queued: [String: Int]) {
        try self.writer.read { db in
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session WHERE endedAt IS NULL") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT kind, COUNT(*) AS waiting FROM message WHERE state IN \(Message.State.waitingSQL) GROUP BY kind"
            )
            return (live, Dictionary(uniqueKeysWithValues: rows.map { ($0["kind"] as String, $0["waiting"] as Int) }))
        }
    }
}
