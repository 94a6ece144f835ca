import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

extension PostgresBoardRows {
    /// The whole board, rows in id order.
    func snapshot(taskPrefix: String, epicPrefix: String) throws -> BoardSnapshot {
        let tasks = try self.assemble(self.tasks(where: { $0.add("true") }).sorted { ($0.id ?? 0) < ($1.id ?? 0) })
        let epics = try self.epics(where: { $0.add("true") }).sorted { ($0.id ?? 0) < ($1.id ?? 0) }.map(\.domain)
        let names: [BoardItemKind: [Int64: String]] = [
            .task: Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0.displayID) }),
            .epic: Dictionary(uniqueKeysWithValues: epics.map { ($0.id, $0.displayID) }),
        ]
        let display = { (kind: BoardItemKind, id: Int64) in names[kind]?[id] ?? "" }
        let comments = try self.queries.rows(
            "SELECT \(unescaped: PostgresBoardRecords.commentColumns) FROM board_comment WHERE workspace_id = \(self.workspace) ORDER BY id"
        ) { row in try PostgresBoardRecords.comment(row, displayID: "") }
        .map { comment in
            var comment = comment
            comment.itemDisplayID = display(comment.itemKind, comment.itemID)
            return comment
        }
        let activity = try self.queries.rows(
            "SELECT \(unescaped: PostgresBoardRecords.activityColumns) FROM board_activity WHERE workspace_id = \(self.workspace) ORDER BY id"
        ) { row in try PostgresBoardRecords.activity(row, displayID: "") }
        .map { entry in
            var entry = entry
            entry.itemDisplayID = display(entry.itemKind, entry.itemID)
            return entry
        }
        let dependencies = try self.queries.rows(
            """
            SELECT task_id, depends_on_task_id, created_by, created_at FROM board_dependency WHERE workspace_id = \(self.workspace)
            ORDER BY task_id, depends_on_task_id
            """
        ) { row in
            BoardDependency(
                taskID: try row.value("task_id"),
                dependsOnTaskID: try row.value("depends_on_task_id"),
                createdBy: try row.value("created_by"),
                createdAt: try row.value("created_at")
            )
        }
        let counters = try self.queries.rows("SELECT kind, last FROM board_counter WHERE workspace_id = \(self.workspace)") { row in
            (try row.value("kind", as: String.self), try row.value("last", as: Int.self))
        }
        let sequence = Dictionary(counters, uniquingKeysWith: { first, _ in first })
        return BoardSnapshot(
            taskPrefix: taskPrefix,
            epicPrefix: epicPrefix,
            taskSequence: sequence["task"] ?? 0,
            epicSequence: sequence["epic"] ?? 0,
            tasks: tasks,
            epics: epics,
            comments: comments,
            dependencies: dependencies,
            activity: activity
        )
    }

    func rowCounts() throws -> BoardRowCounts {
        let workspace = self.workspace
        let counts = try self.queries.rows(
            """
            SELECT (SELECT count(*) FROM board_task WHERE workspace_id = \(workspace)) AS tasks,
                (SELECT count(*) FROM board_epic WHERE workspace_id = \(workspace)) AS epics,
                (SELECT count(*) FROM board_comment WHERE workspace_id = \(workspace))
                    + (SELECT count(*) FROM board_activity WHERE workspace_id = \(workspace)) AS other
            """
        ) { row in
            BoardRowCounts(tasks: try row.value("tasks"), epics: try row.value("epics"), other: try row.value("other"))
        }
        return counts.first ?? BoardRowCounts(tasks: 0, epics: 0, other: 0)
    }

    /// Writes the checked rows of an import with their ids (``BoardRestore`` checked them), then the counters. A row
    /// the schema refuses (a duplicate id or display id, a dependency on itself) refuses the import.
    func restore(_ rows: BoardRestore) throws {
        do {
            for var epic in rows.epics { try self.insert(&epic) }
            for var task in rows.tasks { try self.insert(&task) }
            for dependency in rows.dependencies {
                try self.queries.execute(
                    """
                    INSERT INTO board_dependency (workspace_id, task_id, depends_on_task_id, created_by, created_at)
                    VALUES (\(self.workspace), \(dependency.taskID), \(dependency.dependsOnTaskID), \(dependency.createdBy), \(dependency.createdAt))
                    """
                )
            }
            for comment in rows.comments { try self.restore(comment) }
            for entry in rows.activity { try self.restore(entry) }
        } catch let error as PSQLError where error.serverInfo?[.sqlState]?.hasPrefix("23") == true {
            throw BoardRestore.doesNotFit(error.serverInfo?[.message] ?? "\(error.code)")
        }
        for (kind, last) in [(BoardItemKind.task, rows.taskSequence), (.epic, rows.epicSequence)] {
            try self.queries.execute(
                """
                INSERT INTO board_counter (workspace_id, kind, last) VALUES (\(self.workspace), \(kind.rawValue), \(last))
                ON CONFLICT (workspace_id, kind) DO UPDATE SET last = excluded.last
                """
            )
        }
    }

    /// Writes an exported comment with its id.
    private func restore(_ comment: BoardComment) throws {
        try self.queries.execute(
            """
            INSERT INTO board_comment (workspace_id, id, item_kind, item_id, author_agent_id, author_address, type, body, created_at, search)
            VALUES (\(self.workspace), \(comment.id), \(comment.itemKind.rawValue), \(comment.itemID), \(comment.authorAgentID?.rawValue),
                \(comment.author), \(comment.type.rawValue), \(comment.body), \(comment.createdAt),
                \(PostgresBoardSearch.vector(comment: comment.body))::tsvector)
            """
        )
    }

    /// Writes an exported activity entry with its id.
    private func restore(_ entry: BoardActivity) throws {
        try self.queries.execute(
            """
            INSERT INTO board_activity (workspace_id, id, item_kind, item_id, actor_agent_id, actor_address, action, field, before_json,
                after_json, created_at)
            VALUES (\(self.workspace), \(entry.id), \(entry.itemKind.rawValue), \(entry.itemID), \(entry.actorAgentID?.rawValue), \(entry.actor),
                \(entry.action.rawValue), \(entry.field), \(entry.before), \(entry.after), \(entry.createdAt))
            """
        )
    }
}
