import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Every migration, step by step, and the refusal of a database from a newer version.
@Suite struct MigrationTests {
    func tables(_ writer: some DatabaseReader) throws -> Set<String> {
        try writer.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"
                )
            )
        }
    }

    @Test func daemonMigrationsCreateTheRegistryStepByStep() throws {
        let queue = try DatabaseQueue()
        let migrator = DaemonMigrations.migrator

        try migrator.migrate(queue, upTo: "v1-create-workspace")
        #expect(try self.tables(queue) == ["workspace"])

        try migrator.migrate(queue, upTo: "v1-create-setting")
        #expect(try self.tables(queue) == ["workspace", "setting"])
    }

    @Test func liveWorkspaceNamesAreUniqueInTheSchemaItself() throws {
        let queue = try DatabaseQueue()
        try DaemonMigrations.migrator.migrate(queue)
        let insert = """
            INSERT INTO workspace (id, name, status, topology, rbacMode, kanbanPrefix, epicPrefix, maxBodyChars, createdAt, updatedAt)
            VALUES (?, ?, ?, 'star', 'enforce', 'WA', 'EP', 32000, '2026-01-01', '2026-01-01')
            """

        try queue.write { db in
            try db.execute(sql: insert, arguments: ["a1", "Alpha", "trashed"])
            try db.execute(sql: insert, arguments: ["a2", "alpha", "active"])
        }

        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: insert, arguments: ["a3", "ALPHA", "active"]) }
        }
    }

    @Test func workspaceMigrationsCreateTheirTablesStepByStep() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator

        try migrator.migrate(queue, upTo: "v1-create-repo")
        #expect(try self.tables(queue) == ["repo"])

        try migrator.migrate(queue, upTo: "v1-create-agent")
        #expect(try self.tables(queue) == ["repo", "agent", "agentRole"])

        try migrator.migrate(queue, upTo: "v1-create-session")
        #expect(try self.tables(queue) == ["repo", "agent", "agentRole", "session"])

        try migrator.migrate(queue, upTo: "v2-add-session-token")
        let sessionColumns = try queue.read { db in Set(try db.columns(in: "session").map(\.name)) }
        #expect(sessionColumns.isSuperset(of: ["tokenHash", "runtime", "summary", "mcpConfigPath"]))

        try migrator.migrate(queue, upTo: "v2-create-message")
        #expect(try self.tables(queue) == ["repo", "agent", "agentRole", "session", "message"])
    }

    @Test func clientMessageIdsAreUniquePerSenderInTheSchema() throws {
        let queue = try DatabaseQueue()
        try WorkspaceMigrations.migrator.migrate(queue)
        let insert = """
            INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, clientMessageId, sentAt)
            VALUES ('direct', ?, 'api:b', 't', 'x', 'queued', 'c1', '2026-01-01')
            """

        try queue.write { db in
            try db.execute(sql: insert, arguments: ["api:a"])
            try db.execute(sql: insert, arguments: ["api:c"])
        }

        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: insert, arguments: ["api:a"]) } }
    }

    @Test func theMessageRebuildKeepsRowsAndIndexesAndAdmitsBoardNotifications() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v4-create-rbac")
        let insert = """
            INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, clientMessageId, sentAt)
            VALUES (?, 'api:a', 'api:b', 't', ?, 'queued', ?, '2026-01-01')
            """
        try queue.write { db in try db.execute(sql: insert, arguments: ["direct", "kept", "c1"]) }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: insert, arguments: ["kanban", "x", nil]) } }

        try migrator.migrate(queue, upTo: "v4-message-kind-kanban")

        let bodies = try queue.read { db in try String.fetchAll(db, sql: "SELECT body FROM message ORDER BY id") }
        #expect(bodies == ["kept"])
        try queue.write { db in try db.execute(sql: insert, arguments: ["kanban", "WA-001 was assigned to api:b", nil]) }
        #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: insert, arguments: ["direct", "again", "c1"]) } }
        let indexes = try queue.read { db in Set(try db.indexes(on: "message").map(\.name)) }
        #expect(indexes.isSuperset(of: ["message_clientId", "message_inbox", "message_lease"]))
    }

    @Test func theSchemaAllowsOneMainAgentAndOneLiveSessionPerAgent() throws {
        let queue = try DatabaseQueue()
        try WorkspaceMigrations.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO repo VALUES ('r', 'api', '/x', '2026-01-01', '2026-01-01')")
            for (id, main) in [("a1", 1), ("a2", 0)] {
                try db.execute(
                    sql:
                        "INSERT INTO agent (id, repoId, name, runtime, isMain, createdAt, updatedAt) VALUES (?, 'r', ?, 'claude', ?, '2026-01-01', '2026-01-01')",
                    arguments: [id, id, main]
                )
            }
            try db.execute(
                sql: "INSERT INTO session (id, agentId, agentAddress, kind, startedAt) VALUES ('s1', 'a1', 'api:a1', 'external', '2026-01-01')"
            )
        }

        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE agent SET isMain = 1 WHERE id = 'a2'") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO session (id, agentId, agentAddress, kind, startedAt) VALUES ('s2', 'a1', 'api:a1', 'managed', '2026-01-01')"
                )
            }
        }
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let home = try TemporaryHome()
        let path = home.layout.daemonDatabase
        var newer = DaemonMigrations.migrator
        newer.registerMigration("v99-from-the-future") { db in try db.execute(sql: "CREATE TABLE future (id INTEGER)") }
        let queue = try DatabaseQueue(path: path)
        try newer.migrate(queue)
        try queue.close()

        let error = #expect(throws: DomainError.self) { try DaemonDatabase.open(path: path) }

        #expect(error?.code == .databaseTooNew)
        #expect(error?.message.contains("v99-from-the-future") == true)
        #expect(error?.message.contains(path) == true)
    }

    @Test func filesAreOpenedInWALModeWithForeignKeys() throws {
        let home = try TemporaryHome()
        let database = try WorkspaceDatabase.open(path: "\(home.layout.root)/w.sqlite")

        let (journal, foreignKeys, synchronous) = try database.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            )
        }

        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(synchronous == 1)  // NORMAL
    }
}
