import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The `v4-create-rbac` migration: its tables, indexes, constraints and the seeded built-in roles.
@Suite struct RBACMigrationTests {
    func migratedQueue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: DatabaseOpener.configuration())
        try WorkspaceMigrations.migrator.migrate(queue, upTo: "v4-create-rbac")
        return queue
    }

    func seededRoles(_ queue: DatabaseQueue) throws -> [RoleDefinition] {
        try queue.read { db in try WorkspaceDatabase.fetchRoles(db) }
    }

    // MARK: Tests

    @Test func v4AddsTheRoleGrantAndAuditTablesAfterV3() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v3-create-channel")
        let before = try queue.read { db in try db.tableExists("role") }

        try migrator.migrate(queue, upTo: "v4-create-rbac")

        #expect(!before)
        #expect(migrator.migrations.firstIndex(of: "v4-create-rbac") == migrator.migrations.firstIndex(of: "v3-create-channel").map { $0 + 1 })
        let (tables, indexes, agentRoleColumns) = try queue.read { db in
            (
                try ["role", "roleGrant", "audit"].filter { try db.tableExists($0) },
                Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")),
                try db.columns(in: "agentRole").map(\.name)
            )
        }
        #expect(tables == ["role", "roleGrant", "audit"])
        #expect(indexes.isSuperset(of: ["roleGrant_unique", "audit_at", "audit_kind"]))
        #expect(agentRoleColumns == ["agentId", "roleName"])
    }

    @Test func theSeededRolesEqualTheBuiltinDefinitions() throws {
        let queue = try self.migratedQueue()

        let roles = try self.seededRoles(queue)

        #expect(roles == RoleDefinition.builtins)
    }

    @Test func aGrantIsUniquePerRoleKindValueAndScopeEvenWhenTheScopeIsNull() throws {
        let queue = try self.migratedQueue()
        let insert = "INSERT INTO roleGrant (roleName, kind, value, scope) VALUES ('engineer', 'kanban_action', 'update_task', ?)"

        try queue.write { db in
            try db.execute(sql: insert, arguments: [nil as String?])
            try db.execute(sql: insert, arguments: ["own_assignment"])
        }

        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: insert, arguments: [nil as String?]) }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: insert, arguments: ["own_assignment"]) }
        }
    }

    @Test func theSchemaRefusesUnknownKindsScopesOnUnscopedKindsAndUnknownRoles() throws {
        let queue = try self.migratedQueue()
        let statements = [
            "INSERT INTO roleGrant (roleName, kind, value) VALUES ('pm', 'runtime-launch', 'x')",
            "INSERT INTO roleGrant (roleName, kind, value, scope) VALUES ('pm', 'tool_family', 'summary', 'own_assignment')",
            "INSERT INTO roleGrant (roleName, kind, value, scope) VALUES ('pm', 'kanban_action', 'update_task', 'mine')",
            "INSERT INTO roleGrant (roleName, kind, value) VALUES ('ghost', 'tool_family', 'summary')",
            "INSERT INTO role (name, createdAt, updatedAt) VALUES ('PM', '2026-01-01', '2026-01-01')",
        ]

        for sql in statements {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try queue.write { db in try db.execute(sql: sql) }
            }
        }
    }

    @Test func deletingARoleDeletesItsGrants() throws {
        let queue = try self.migratedQueue()

        let remaining = try queue.write { db in
            try db.execute(sql: "DELETE FROM role WHERE name = 'researcher'")
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM roleGrant WHERE roleName = 'researcher'")
        }

        #expect(remaining == 0)
    }
}
