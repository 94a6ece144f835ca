import Foundation
import GRDB

/// Lookups that only serve the web UI's event stream (which messages a change touched).
extension WorkspaceDatabase {
    /// The ids of the messages leased under `leaseID` to `agent` and not yet delivered (what an acknowledgement is
    /// about to deliver).
    func unacknowledgedMessageIDs(leaseID: String, agent: AgentID) async throws -> [Int64] {
        try await self.writer.read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT id FROM message WHERE leaseId = ? AND toAgentId = ? AND state IN ('queued', 'pushed') ORDER BY id",
                arguments: [leaseID, agent.rawValue]
            )
        }
    }
}
