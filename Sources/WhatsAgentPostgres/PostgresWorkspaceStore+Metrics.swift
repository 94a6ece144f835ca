import Foundation
import PostgresNIO
import WhatsAgentCore

/// The scrape-time gauges' counts (``WorkspaceMetricsStore``): one read.
extension PostgresWorkspaceStore {
    package func metricCounts() async throws -> (liveSessions: Int, queued: [String: Int]) {
        try await self.read { connection in
            let live =
                try await self.values(
                    Int.self,
                    "SELECT COUNT(*)::int8 FROM session WHERE workspace_id = \(self.id) AND ended_at IS NULL",
                    on: connection
                ).first ?? 0
            var queued: [String: Int] = [:]
            // Every waiting row, the human's included (`waiting_mail` counts only the agents').
            for try await (kind, count) in try await connection.query(
                """
                SELECT kind, COUNT(*)::int8 FROM message WHERE workspace_id = \(self.id) AND state IN \(unescaped: Message.State.waitingSQL)
                GROUP BY kind
                """,
                logger: self.logger
            ).decode((String, Int).self) {
                queued[kind] = count
            }
            return (live, queued)
        }
    }
}
