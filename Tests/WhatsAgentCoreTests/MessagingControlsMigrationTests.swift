import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `v5-messaging-controls`: the message rebuild keeps rows, ids and indexes and admits `held`; the new tables hold.
@Suite struct MessagingControlsMigrationTests {
    @Test func theRebuildKeepsMessagesAndAdmitsHeld() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v4-message-kind-kanban")
        let insert = """
            INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, clientMessageId, sentAt)
            VALUES ('direct', 'api:a', 'api:b', 't', ?, ?, ?, '2026-01-01')
            """
        try queue.write { db in
            try db.execute(sql: insert, arguments: ["first", "delivered", "c1"])
            try db.execute(sql: insert, arguments: ["second", "queued", nil])
        }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: insert, arguments: ["x", "held", nil]) } }

        try migrator.migrate(queue, upTo: "v5-messaging-controls")

        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT id, body, state FROM message ORDER BY id") }
        #expect(rows.map { "\($0["id"] as Int64) \($0["body"] as String) \($0["state"] as String)" } == ["1 first delivered", "2 second queued"])
        try queue.write { db in try db.execute(sql: insert, arguments: ["kept back", "held", nil]) }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: insert, arguments: ["again", "queued", "c1"]) } }
        let indexes = try queue.read { db in Set(try db.indexes(on: "message").map(\.name)) }
        #expect(indexes.isSuperset(of: ["message_clientId", "message_inbox", "message_lease", "message_pairWindow", "message_sent"]))
    }

    @Test func peerRulesAndHoldsAreNormalisedAndGoWithTheirAgents() throws {
        let queue = try DatabaseQueue()
        try WorkspaceMigrations.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO repo VALUES ('r', 'api', '/x', '2026-01-01', '2026-01-01')")
            for id in ["a1", "a2"] {
                try db.execute(
                    sql:
                        "INSERT INTO agent (id, repoId, name, runtime, createdAt, updatedAt) VALUES (?, 'r', ?, 'claude', '2026-01-01', '2026-01-01')",
                    arguments: [id, id]
                )
            }
            try db.execute(sql: "INSERT INTO peerRule VALUES ('a1', 'a2', '2026-01-01')")
            try db.execute(
                sql:
                    "INSERT INTO loopHold (lowAgentId, highAgentId, lowAddress, highAddress, heldAt) VALUES ('a1', 'a2', 'api:a1', 'api:a2', '2026-01-01')"
            )
        }
        let muted = try queue.read { db in try Bool.fetchAll(db, sql: "SELECT muted FROM agent") }

        #expect(muted == [false, false])
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "INSERT INTO peerRule VALUES ('a2', 'a1', '2026-01-01')") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO loopHold (lowAgentId, highAgentId, lowAddress, highAddress, heldAt) VALUES ('a1', 'a2', 'x', 'y', '2026-01-02')"
                )
            }
        }
        try queue.write { db in try db.execute(sql: "DELETE FROM agent WHERE id = 'a1'") }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM peerRule") } == 0)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM loopHold") } == 0)
    }
}
