import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The loop guard's lookups read index ranges of the window, not every message in it (the guard runs on every send
/// between agents; scanning the window made it most of the daemon's CPU per message under load).
@Suite struct LoopGuardIndexTests {
    @Test(arguments: [
        (
            "SELECT MAX(sentAt) FROM message WHERE fromAddress = ? AND sentAt > ? AND kind = 'broadcast' AND toAddress IN (?, ?) AND state != 'rejected'",
            4, "message_senderWindow"
        ),
        ("SELECT MAX(sentAt) FROM message WHERE threadId IN (?, ?) AND sentAt > ? AND state != 'rejected'", 3, "message_pairWindow"),
        (
            "SELECT COUNT(*) FROM (SELECT 1 FROM message WHERE threadId = ? AND kind = 'direct' AND state != 'rejected' AND sentAt > ? LIMIT ?)",
            3, "message_pairWindow"
        ),
    ])
    func eachLookupSearchesItsIndex(sql: String, parameters: Int, index: String) throws {
        let queue = try DatabaseQueue()
        try WorkspaceMigrations.migrator.migrate(queue)

        let plan = try queue.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN " + sql,
                arguments: StatementArguments(Array(repeating: "x", count: parameters))
            ).map { $0["detail"] as String }
        }

        #expect(plan.contains { $0.contains("SEARCH message USING INDEX \(index)") }, "plan: \(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN message") }, "plan: \(plan)")
    }
}
