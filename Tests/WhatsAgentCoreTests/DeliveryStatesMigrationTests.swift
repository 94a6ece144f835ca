import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `v13-message-delivery-states`: `delivered` rows become `acknowledged` with their times, the other rows and ids stay,
/// the table admits the new states (and no longer `delivered`), and search still indexes the bodies.
@Suite struct DeliveryStatesMigrationTests {
    @Test func deliveredBecomesAcknowledgedWithItsTimesKept() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v12-board-task-branch")
        let insert = """
            INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, sentAt, pushedAt, deliveredAt, deliveries)
            VALUES ('direct', 'api:a', 'api:b', 't', ?, ?, '2026-01-01 10:00:00.000', ?, ?, ?)
            """
        try queue.write { db in
            try db.execute(sql: insert, arguments: ["read long ago", "delivered", "2026-01-01 10:00:01.000", "2026-01-01 10:00:02.000", 1])
            try db.execute(sql: insert, arguments: ["still waiting", "pushed", "2026-01-01 10:00:01.000", nil, 0])
            try db.execute(sql: insert, arguments: ["kept back", "held", nil, nil, 0])
        }

        try migrator.migrate(queue)

        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, state, pushedAt, deliveredAt, surfacedAt, pushPath FROM message ORDER BY id")
        }
        #expect(rows.map { "\($0["id"] as Int64) \($0["state"] as String)" } == ["1 acknowledged", "2 pushed", "3 held"])
        #expect(rows[0]["pushedAt"] as String? == "2026-01-01 10:00:01.000")
        #expect(rows[0]["deliveredAt"] as String? == "2026-01-01 10:00:02.000", "the acknowledged time is the delivered time")
        #expect(rows.allSatisfy { ($0["surfacedAt"] as String?) == nil && ($0["pushPath"] as String?) == nil }, "unknown before")
        let first = try queue.read { db in try MessageRecord.fetchOne(db, key: 1) }?.domain
        #expect(first?.state == .acknowledged)
        #expect(first?.acknowledgedAt != nil)

        try queue.write { db in
            try db.execute(sql: insert, arguments: ["returned to the client", "surfaced", nil, nil, 1])
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: insert, arguments: ["old name", "delivered", nil, nil, 1]) }
        }
        let indexes = try queue.read { db in Set(try db.indexes(on: "message").map(\.name)) }
        #expect(
            indexes.isSuperset(of: [
                "message_clientId", "message_inbox", "message_lease", "message_pairWindow", "message_sent", "message_senderWindow",
            ])
        )
        let matches = try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH 'returned OR long' ORDER BY rowid")
        }
        #expect(matches == [1, 4], "the old rows stay indexed and the search triggers follow new ones")
    }
}
