import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

extension SQLiteBoardRows {
    /// The whole board, rows in id order.
    func snapshot(taskPrefix: String, epicPrefix: String) throws -> BoardSnapshot {
        let tasks = try self.assemble(BoardTaskRecord.order(sql: "id").fetchAll(self.db))
        let epics = try BoardEpicRecord.order(sql: "id").fetchAll(self.db).map(\.domain)
        let names: [BoardItemKind: [Int64: String]] = [
            .task: Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0.displayID) }),
            .epic: Dictionary(uniqueKeysWithValues: epics.map { ($0.id, $0.displayID) }),
        ]
        let display = { (kind: String, id: Int64) in names[BoardItemKind(rawValue: kind) ?? .task]?[id] ?? "" }
        let comments = try BoardCommentRecord.order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: display($0.itemKind, $0.itemId)) }
        let activity = try BoardActivityRecord.order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: display($0.itemKind, $0.itemId)) }
        let dependencies = try Row.fetchAll(self.db, sql: "SELECT * FROM boardDependency ORDER BY taskId, dependsOnTaskId").map { row in
            BoardDependency(taskID: row["taskId"], dependsOnTaskID: row["dependsOnTaskId"], createdBy: row["createdBy"], createdAt: row["createdAt"])
        }
        let counters = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(self.db, sql: "SELECT kind, last FROM boardCounter").map {
                ($0["kind"] as String, $0["last"] as Int)
            }
        )
        return BoardSnapshot(
            taskPrefix: taskPrefix,
            epicPrefix: epicPrefix,
            taskSequence: counters["task"] ?? 0,
            epicSequence: counters["epic"] ?? 0,
            tasks: tasks,
            epics: epics,
            comments: comments,
            dependencies: dependencies,
            activity: activity
        )
    }

    func rowCounts() throws -> BoardRowCounts {
        let counts = try Row.fetchOne(
            self.db,
            sql: """
                SELECT (SELECT COUNT(*) FROM boardTask) AS tasks, (SELECT COUNT(*) FROM boardEpic) AS epics,
                       (SELECT COUNT(*) FROM boardComment) + (SELECT COUNT(*) FROM boardActivity) AS other
                """
        )
        return BoardRowCounts(tasks: counts?["tasks"] ?? 0, epics: counts?["epics"] ?? 0, other: counts?["other"] ?? 0)
    }

    func agents() throws -> [Agent] {
        try WorkspaceDatabase.fetchAgents(self.db)
    }

    /// Writes the checked rows of an import with their ids (``BoardRestore`` checked them), then the counters.
    func restore(_ rows: BoardRestore) throws {
        do {
            for var epic in rows.epics { try epic.insert(self.db) }
            for var task in rows.tasks { try task.insert(self.db) }
            for dependency in rows.dependencies {
                try self.db.execute(
                    sql: "INSERT INTO boardDependency (taskId, dependsOnTaskId, createdBy, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [dependency.taskID, dependency.dependsOnTaskID, dependency.createdBy, dependency.createdAt]
                )
            }
            for comment in rows.comments {
                var record = BoardCommentRecord(comment)
                try record.insert(self.db)
            }
            for entry in rows.activity {
                var record = BoardActivityRecord(entry)
                try record.insert(self.db)
            }
        } catch let error as DatabaseError {
            throw BoardRestore.doesNotFit(error.message ?? "\(error)")
        }
        try self.db.execute(sql: "UPDATE boardCounter SET last = ? WHERE kind = 'task'", arguments: [rows.taskSequence])
        try self.db.execute(sql: "UPDATE boardCounter SET last = ? WHERE kind = 'epic'", arguments: [rows.epicSequence])
    }
}
