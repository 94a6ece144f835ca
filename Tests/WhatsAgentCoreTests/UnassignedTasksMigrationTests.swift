import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `v14-board-task-unassigned` (issue 18): the task table is rebuilt with a nullable assignee; rows, ids, branches,
/// dependencies and indexes stay, an assignee cleared to "" by an old import becomes NULL, and search still works.
@Suite struct UnassignedTasksMigrationTests {
    @Test func theRebuildKeepsTasksAndAdmitsUnassignedOnes() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v13-message-delivery-states")
        let insert = """
            INSERT INTO boardTask (displayId, sequence, title, status, priority, effort, assigneeAddress, creatorAddress,
                                   createdAt, updatedAt, branch)
            VALUES (?, ?, ?, 'Review', 'P1', 'S', ?, 'human-web', '2026-01-01 10:00:00.000', '2026-01-01 10:00:00.000', ?)
            """
        try queue.write { db in
            try db.execute(sql: insert, arguments: ["WA-001", 1, "kept rollout", "api:dev", "wa/dev"])
            try db.execute(sql: insert, arguments: ["WA-002", 2, "cleared by an import", "", nil])
            try db.execute(
                sql: "INSERT INTO boardDependency (taskId, dependsOnTaskId, createdBy, createdAt) VALUES (2, 1, 'human-web', '2026-01-01')"
            )
            #expect(throws: DatabaseError.self) { try db.execute(sql: insert, arguments: ["WA-009", 9, "x", nil, nil]) }
        }

        try migrator.migrate(queue)

        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, displayId, assigneeAddress, branch, status FROM boardTask ORDER BY id")
        }
        #expect(rows.map { $0["displayId"] as String } == ["WA-001", "WA-002"])
        #expect(rows.map { $0["id"] as Int64 } == [1, 2])
        #expect(rows[0]["assigneeAddress"] as String? == "api:dev")
        #expect(rows[0]["branch"] as String? == "wa/dev")
        #expect(rows[1]["assigneeAddress"] as String? == nil, "an empty assignee is no assignee")
        let dependencies = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM boardDependency WHERE taskId = 2") }
        #expect(dependencies == 1)

        try queue.write { db in try db.execute(sql: insert, arguments: ["WA-003", 3, "nobody's rollout", nil, nil]) }
        let indexes = try queue.read { db in Set(try db.indexes(on: "boardTask").map(\.name)) }
        #expect(indexes.isSuperset(of: ["boardTask_status", "boardTask_assignee", "boardTask_epic", "boardTask_archived"]))
        let matches = try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT rowid FROM boardTaskSearch WHERE boardTaskSearch MATCH 'rollout' ORDER BY rowid")
        }
        #expect(matches == [1, 3], "old rows stay indexed and the triggers follow new ones")
        try queue.write { db in try db.execute(sql: "UPDATE boardTask SET title = 'renamed' WHERE id = 1") }
        let afterRename = try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT rowid FROM boardTaskSearch WHERE boardTaskSearch MATCH 'rollout' ORDER BY rowid")
        }
        #expect(afterRename == [3], "the update trigger is back")
        let problems = try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(problems.isEmpty)
    }
}
