import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v6-create-board` (and any later migrations of this area, appended after it).
    static func registerBoard(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-create-board") { db in
            let statuses = "'Backlog', 'Queued', 'In Progress', 'Blocked', 'Review', 'Completed'"
            let priorities = "'P0', 'P1', 'P2', 'P3'"
            let efforts = "'XS', 'S', 'M', 'L', 'XL'"
            // The last sequence handed out per kind. Display ids are `<prefix>-<sequence>`; the counter moves inside
            // the creating transaction, and the unique indexes below are the backstop.
            try db.create(table: "boardCounter") { t in
                t.primaryKey("kind", .text).check(sql: "kind IN ('task', 'epic')")
                t.column("last", .integer).notNull().defaults(to: 0)
            }
            try db.execute(sql: "INSERT INTO boardCounter (kind, last) VALUES ('task', 0), ('epic', 0)")

            // Columns both item tables share. Addresses are display snapshots: history stays readable after an agent
            // is removed (its id column becomes NULL).
            func itemColumns(_ t: TableDefinition) {
                t.autoIncrementedPrimaryKey("id")
                t.column("displayId", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("sequence", .integer).notNull().unique(onConflict: .abort)
                t.column("title", .text).notNull()
                t.column("details", .text).notNull().defaults(to: "")
                t.column("status", .text).notNull().check(sql: "status IN (\(statuses))")
                t.column("priority", .text).notNull().check(sql: "priority IN (\(priorities))")
                t.column("effort", .text).notNull().check(sql: "effort IN (\(efforts))")
                t.column("assigneeAgentId", .text).references("agent", onDelete: .setNull)
                t.column("assigneeAddress", .text).notNull()
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
            }
            try db.create(table: "boardEpic") { t in
                itemColumns(t)
                t.column("closeApproval", .text).notNull().defaults(to: "none")
                    .check(sql: "closeApproval IN ('none', 'pending', 'approved')")
                t.column("closeRequestedAt", .datetime)
                t.column("closeRequestedBy", .text)
                t.column("closeRequestedByAgentId", .text).references("agent", onDelete: .setNull)
                t.column("closeApprovedAt", .datetime)
                t.column("closeApprovedBy", .text)
            }
            try db.create(table: "boardTask") { t in
                itemColumns(t)
                t.column("epicId", .integer).references("boardEpic", onDelete: .setNull)
            }
            try db.execute(sql: "CREATE INDEX boardTask_status ON boardTask(status, id)")
            try db.execute(sql: "CREATE INDEX boardTask_assignee ON boardTask(assigneeAddress COLLATE NOCASE)")
            try db.execute(sql: "CREATE INDEX boardTask_epic ON boardTask(epicId)")
            try db.execute(sql: "CREATE INDEX boardEpic_status ON boardEpic(status, id)")

            try db.create(table: "boardDependency") { t in
                t.column("taskId", .integer).notNull().references("boardTask", onDelete: .cascade)
                t.column("dependsOnTaskId", .integer).notNull().references("boardTask", onDelete: .cascade)
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["taskId", "dependsOnTaskId"])
                t.check(sql: "taskId != dependsOnTaskId")
            }
            try db.execute(sql: "CREATE INDEX boardDependency_reverse ON boardDependency(dependsOnTaskId)")

            // Comments and activity of both kinds; `itemId` is a boardTask or boardEpic id per `itemKind`.
            try db.create(table: "boardComment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("itemKind", .text).notNull().check(sql: "itemKind IN ('task', 'epic')")
                t.column("itemId", .integer).notNull()
                t.column("authorAgentId", .text).references("agent", onDelete: .setNull)
                t.column("authorAddress", .text).notNull()
                t.column("type", .text).notNull()
                    .check(sql: "type IN ('progress', 'note', 'blocker', 'verdict_go', 'verdict_no_go', 'verdict_needs_revision')")
                t.column("body", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.execute(sql: "CREATE INDEX boardComment_item ON boardComment(itemKind, itemId, id)")
            try db.create(table: "boardActivity") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("itemKind", .text).notNull().check(sql: "itemKind IN ('task', 'epic')")
                t.column("itemId", .integer).notNull()
                t.column("actorAgentId", .text).references("agent", onDelete: .setNull)
                t.column("actorAddress", .text).notNull()
                t.column("action", .text).notNull()
                t.column("field", .text)
                t.column("beforeJSON", .text)
                t.column("afterJSON", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.execute(sql: "CREATE INDEX boardActivity_item ON boardActivity(itemKind, itemId, id)")

            // Full-text search (reference §13.5): external-content FTS5 tables kept in sync by triggers.
            let tokenizer = "unicode61 remove_diacritics 1 tokenchars '_-'"
            for (fts, table, columns) in [
                ("boardTaskSearch", "boardTask", ["displayId", "title", "details"]),
                ("boardEpicSearch", "boardEpic", ["displayId", "title", "details"]),
                ("boardCommentSearch", "boardComment", ["body"]),
            ] {
                let list = columns.joined(separator: ", ")
                try db.execute(
                    sql: "CREATE VIRTUAL TABLE \(fts) USING fts5(\(list), content='\(table)', content_rowid='id', tokenize=\"\(tokenizer)\")"
                )
                try Self.createBoardSearchTriggers(db, table: table, fts: fts, columns: columns)
            }
        }
        migrator.registerMigration("v7-board-archived-index") { db in
            // Search reads the archived rows of a kind (few) to rank from the full-text index alone; without these
            // partial indexes that read scans the whole table.
            try db.execute(sql: "CREATE INDEX boardTask_archived ON boardTask(archivedAt) WHERE archivedAt IS NOT NULL")
            try db.execute(sql: "CREATE INDEX boardEpic_archived ON boardEpic(archivedAt) WHERE archivedAt IS NOT NULL")
        }
    }

    /// The triggers that keep the external-content search table `fts` in sync with `table` (its `columns`).
    static func createBoardSearchTriggers(_ db: Database, table: String, fts: String, columns: [String]) throws {
        let list = columns.joined(separator: ", ")
        let new = columns.map { "new.\($0)" }.joined(separator: ", ")
        let old = columns.map { "old.\($0)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                CREATE TRIGGER \(table)_ai AFTER INSERT ON \(table) BEGIN
                  INSERT INTO \(fts)(rowid, \(list)) VALUES (new.id, \(new));
                END;
                CREATE TRIGGER \(table)_ad AFTER DELETE ON \(table) BEGIN
                  INSERT INTO \(fts)(\(fts), rowid, \(list)) VALUES ('delete', old.id, \(old));
                END;
                CREATE TRIGGER \(table)_au AFTER UPDATE OF \(list) ON \(table) BEGIN
                  INSERT INTO \(fts)(\(fts), rowid, \(list)) VALUES ('delete', old.id, \(old));
                  INSERT INTO \(fts)(rowid, \(list)) VALUES (new.id, \(new));
                END;
                """
        )
    }
}
