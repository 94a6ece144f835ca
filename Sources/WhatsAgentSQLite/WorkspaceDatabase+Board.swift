import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

extension WorkspaceDatabase: BoardStore {
    package func boardWrite<T: Sendable>(
        now: Date,
        actor: BoardActor,
        prefixes: (task: String, epic: String),
        admitNotifications: @escaping @Sendable ([BoardNotification]) throws -> Void,
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> (T, [BoardNotification]) {
        let (task, epic) = prefixes
        return try await self.writer.write { db in
            let transaction = BoardTransaction(SQLiteBoardRows(db), now: now, actor: actor, taskPrefix: task, epicPrefix: epic)
            let result = try body(transaction)
            let stored = try Self.storeNotifications(transaction.notifications, sentAt: now, db)
            try admitNotifications(stored)
            return (result, stored)
        }
    }

    package func boardRead<T: Sendable>(
        prefixes: (task: String, epic: String),
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> T {
        let (task, epic) = prefixes
        return try await self.writer.read { db in
            try body(BoardTransaction(SQLiteBoardRows(db), now: Date(), actor: .human, taskPrefix: task, epicPrefix: epic))
        }
    }

    /// Runs `body` over the SQLite rows in a read transaction (the search-ranking tests compare the rankings).
    func sqliteBoardRows<T: Sendable>(_ body: @escaping @Sendable (SQLiteBoardRows) throws -> T) async throws -> T {
        try await self.writer.read { db in try body(SQLiteBoardRows(db)) }
    }

    /// Stores `notifications` as queued `kanban` messages inside the caller's transaction; returns them with their
    /// message ids. Board notifications (SPEC §9, reference §13.4) travel through the inbox like direct messages:
    /// kind `kanban`, from `whatsagent`, thread `kanban:<display id>`.
    static func storeNotifications(_ notifications: [BoardNotification], sentAt: Date, _ db: Database) throws -> [BoardNotification] {
        var stored: [BoardNotification] = []
        for var notification in notifications {
            let body = notification.storedBody
            try db.execute(
                sql: """
                    INSERT INTO message (kind, fromAgentId, fromAddress, toAgentId, toAddress, threadId, body, state, sentAt, deliveries)
                    VALUES ('kanban', NULL, ?, ?, ?, ?, ?, 'queued', ?, 0)
                    """,
                arguments: [
                    BoardNotification.senderAddress, notification.toAgentID.rawValue, notification.toAddress, notification.threadID,
                    body, sentAt,
                ]
            )
            notification.messageID = db.lastInsertedRowID
            try Self.countWaiting(notification.toAgentID.rawValue, kind: "kanban", by: 1, db)
            stored.append(notification)
        }
        return stored
    }
}

/// The board's rows in one SQLite transaction.
/// It is an RBAC check's rows too (``SQLiteCheckRows``): a board change checks its caller inside its transaction.
final class SQLiteBoardRows: SQLiteCheckRows, BoardRows {
    func isMuted(_ agent: AgentID) throws -> Bool {
        try WorkspaceDatabase.isMuted(agent, self.db)
    }

    // MARK: - Items

    func task(id: Int64) throws -> BoardTaskRecord? {
        try BoardTaskRecord.fetchOne(self.db, key: id)
    }

    func task(displayID: String) throws -> BoardTaskRecord? {
        try BoardTaskRecord.filter(sql: "displayId = ? COLLATE NOCASE", arguments: [displayID]).fetchOne(self.db)
    }

    func epic(id: Int64) throws -> BoardEpicRecord? {
        try BoardEpicRecord.fetchOne(self.db, key: id)
    }

    func epic(displayID: String) throws -> BoardEpicRecord? {
        try BoardEpicRecord.filter(sql: "displayId = ? COLLATE NOCASE", arguments: [displayID]).fetchOne(self.db)
    }

    func tasks(_ filter: BoardFilter, epic: BoardEpicFilter) throws -> [BoardTaskRecord] {
        var (conditions, arguments) = Self.conditions(filter)
        switch epic {
        case .any: break
        case .none: conditions.append("epicId IS NULL")
        case .epic(let id):
            conditions.append("epicId = ?")
            arguments.append(id)
        }
        return try BoardTaskRecord.filter(sql: conditions.joined(separator: " AND "), arguments: StatementArguments(arguments))
            .order(sql: "sequence").limit(filter.limit).fetchAll(self.db)
    }

    func epics(_ filter: BoardFilter) throws -> [BoardEpicRecord] {
        let (conditions, arguments) = Self.conditions(filter)
        return try BoardEpicRecord.filter(sql: conditions.joined(separator: " AND "), arguments: StatementArguments(arguments))
            .order(sql: "sequence").limit(filter.limit).fetchAll(self.db)
    }

    func tasks(inEpic epicID: Int64) throws -> [BoardTaskRecord] {
        try BoardTaskRecord.filter(sql: "epicId = ?", arguments: [epicID]).order(sql: "sequence").fetchAll(self.db)
    }

    func insert(_ task: inout BoardTaskRecord) throws { try task.insert(self.db) }
    func update(_ task: BoardTaskRecord) throws { try task.update(self.db) }
    func insert(_ epic: inout BoardEpicRecord) throws { try epic.insert(self.db) }
    func update(_ epic: BoardEpicRecord) throws { try epic.update(self.db) }

    func nextSequence(_ kind: BoardItemKind) throws -> Int {
        try self.db.execute(sql: "UPDATE boardCounter SET last = last + 1 WHERE kind = ?", arguments: [kind.rawValue])
        guard let value = try Int.fetchOne(self.db, sql: "SELECT last FROM boardCounter WHERE kind = ?", arguments: [kind.rawValue]) else {
            throw DomainError(.storage, "the board's \(kind.rawValue) counter is missing; restore the workspace from a backup")
        }
        return value
    }

    // MARK: - Dependencies

    func dependencyIDs(of taskID: Int64) throws -> [Int64] {
        try Int64.fetchAll(self.db, sql: "SELECT dependsOnTaskId FROM boardDependency WHERE taskId = ? ORDER BY dependsOnTaskId", arguments: [taskID])
    }

    func dependencyTasks(of taskID: Int64, dependents: Bool) throws -> [BoardTaskRecord] {
        let sql =
            dependents
            ? "id IN (SELECT taskId FROM boardDependency WHERE dependsOnTaskId = ?)"
            : "id IN (SELECT dependsOnTaskId FROM boardDependency WHERE taskId = ?)"
        return try BoardTaskRecord.filter(sql: sql, arguments: [taskID]).order(sql: "sequence").fetchAll(self.db)
    }

    func setDependencies(of taskID: Int64, to ids: [Int64], by actor: String, at date: Date) throws {
        try self.db.execute(sql: "DELETE FROM boardDependency WHERE taskId = ?", arguments: [taskID])
        for id in ids {
            try self.db.execute(
                sql: "INSERT INTO boardDependency (taskId, dependsOnTaskId, createdBy, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [taskID, id, actor, date]
            )
        }
    }

    func dependencyDisplayIDs(of taskIDs: [Int64]) throws -> [Int64: [String]] {
        var dependencies: [Int64: [String]] = [:]
        for chunk in Self.chunks(taskIDs) {
            let rows = try Row.fetchAll(
                self.db,
                sql: """
                    SELECT boardDependency.taskId AS taskId, boardTask.displayId AS displayId FROM boardDependency
                    JOIN boardTask ON boardTask.id = boardDependency.dependsOnTaskId
                    WHERE boardDependency.taskId IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                    """,
                arguments: StatementArguments(chunk)
            )
            for row in rows { dependencies[row["taskId"], default: []].append(row["displayId"]) }
        }
        return dependencies
    }

    func displayIDs(_ kind: BoardItemKind, _ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let table = kind == .task ? "boardTask" : "boardEpic"
        var names: [Int64: String] = [:]
        for chunk in Self.chunks(ids) {
            let rows = try Row.fetchAll(
                self.db,
                sql: "SELECT id, displayId FROM \(table) WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(chunk)
            )
            for row in rows { names[row["id"]] = row["displayId"] }
        }
        return names
    }

    /// Ids in slices of at most 500, each one `IN (…)` list (SQLite caps the bound parameters of a statement).
    private static func chunks(_ ids: [Int64]) -> [ArraySlice<Int64>] {
        stride(from: 0, to: ids.count, by: 500).map { ids[$0..<min($0 + 500, ids.count)] }
    }

    // MARK: - Comments and activity

    func insert(_ comment: BoardComment) throws -> BoardComment {
        var record = BoardCommentRecord(comment)
        try record.insert(self.db)
        return record.domain(displayID: comment.itemDisplayID)
    }

    func insert(_ activity: BoardActivity) throws {
        var record = BoardActivityRecord(activity)
        try record.insert(self.db)
    }

    func comments(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardComment] {
        try BoardCommentRecord.filter(sql: "itemKind = ? AND itemId = ?", arguments: [kind.rawValue, itemID])
            .order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: displayID) }
    }

    func activity(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardActivity] {
        try BoardActivityRecord.filter(sql: "itemKind = ? AND itemId = ?", arguments: [kind.rawValue, itemID])
            .order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: displayID) }
    }

    // MARK: - Agents

    func agent(_ address: AgentAddress) throws -> Agent {
        try WorkspaceDatabase.fetchAgent(address, self.db)
    }

    /// SQL conditions shared by task and epic listings.
    static func conditions(_ filter: BoardFilter) -> ([String], [(any DatabaseValueConvertible)?]) {
        var conditions = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !filter.includeArchived { conditions.append("archivedAt IS NULL") }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let priority = filter.priority {
            conditions.append("priority = ?")
            arguments.append(priority.rawValue)
        }
        if let assignee = filter.assignedTo, BoardUnassigned.matches(assignee) {
            conditions.append("assigneeAddress IS NULL")
        } else if let assignee = filter.assignedTo {
            conditions.append("assigneeAddress = ? COLLATE NOCASE")
            arguments.append(assignee.trimmingCharacters(in: .whitespaces))
        }
        if let creator = filter.createdBy {
            conditions.append("creatorAddress = ? COLLATE NOCASE")
            arguments.append(creator.trimmingCharacters(in: .whitespaces))
        }
        return (conditions, arguments)
    }
}
