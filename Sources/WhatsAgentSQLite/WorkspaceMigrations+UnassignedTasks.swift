import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v14-board-task-unassigned` (issue 18): a task may have no assignee, so `boardTask.assigneeAddress`
    /// becomes nullable (NULL: unassigned; `assigneeAgentId` is then NULL too).
    ///
    /// SQLite cannot drop a NOT NULL constraint, so the table is rebuilt with the same ids, columns (including
    /// `branch` of `v12-board-task-branch`) and indexes; the search triggers are created again and the search index
    /// rebuilt. Dependencies, comments and activity refer to task ids, which are kept. An assignee cleared by
    /// `board import --drop-unknown-assignees` before this version was stored as an empty address: it becomes NULL.
    static func registerUnassignedTasks(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-board-task-unassigned") { db in
            let statuses = "'Backlog', 'Queued', 'In Progress', 'Blocked', 'Review', 'Completed'"
            try db.create(table: "boardTask_new") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("displayId", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("sequence", .integer).notNull().unique(onConflict: .abort)
                t.column("title", .text).notNull()
                t.column("details", .text).notNull().defaults(to: "")
                t.column("status", .text).notNull().check(sql: "status IN (\(statuses))")
                t.column("priority", .text).notNull().check(sql: "priority IN ('P0', 'P1', 'P2', 'P3')")
                t.column("effort", .text).notNull().check(sql: "effort IN ('XS', 'S', 'M', 'L', 'XL')")
                t.column("assigneeAgentId", .text).references("agent", onDelete: .setNull)
                t.column("assigneeAddress", .text)
                t.column("creatorAgentId", .text).references("agent", onDelete: .setNull)
                t.column("creatorAddress", .text).notNull()
                t.column("githubUrl", .text)
                t.column("githubNumber", .integer)
                t.column("githubTitle", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("completedAt", .datetime)
                t.column("archivedAt", .datetime)
                t.column("archivedBy", .text)
                t.column("epicId", .integer).references("boardEpic", onDelete: .setNull)
                t.column("branch", .text)
                t.check(sql: "assigneeAddress IS NOT NULL OR assigneeAgentId IS NULL")
            }
            let columns = """
                id, displayId, sequence, title, details, status, priority, effort, assigneeAgentId, assigneeAddress,
                creatorAgentId, creatorAddress, githubUrl, githubNumber, githubTitle, createdAt, updatedAt, completedAt,
                archivedAt, archivedBy, epicId, branch
                """
            let values = columns.replacingOccurrences(of: "assigneeAgentId, assigneeAddress", with: "assigneeAgentId, NULLIF(assigneeAddress, '')")
            try db.execute(sql: "INSERT INTO boardTask_new (\(columns)) SELECT \(values) FROM boardTask")
            try db.drop(table: "boardTask")
            try db.rename(table: "boardTask_new", to: "boardTask")
            try db.execute(sql: "CREATE INDEX boardTask_status ON boardTask(status, id)")
            try db.execute(sql: "CREATE INDEX boardTask_assignee ON boardTask(assigneeAddress COLLATE NOCASE)")
            try db.execute(sql: "CREATE INDEX boardTask_epic ON boardTask(epicId)")
            try db.execute(sql: "CREATE INDEX boardTask_archived ON boardTask(archivedAt) WHERE archivedAt IS NOT NULL")
            try Self.createBoardSearchTriggers(db, table: "boardTask", fts: "boardTaskSearch", columns: ["displayId", "title", "details"])
            try db.execute(sql: "INSERT INTO boardTaskSearch(boardTaskSearch) VALUES('rebuild')")
        }
    }
}
