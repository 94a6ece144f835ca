import Foundation
import GRDB

extension WorkspaceDatabase {
    /// Runs `body` in one write transaction with board helpers; the notifications it queued are stored in the same
    /// transaction. Returns the body's result and those notifications (to push after the commit).
    /// `admitNotifications` runs last, inside the transaction, with the notifications the change queued: when it
    /// throws (the actor's rate limit), nothing of the change is written.
    func boardWrite<T: Sendable>(
        now: Date,
        actor: BoardActor,
        prefixes: (task: String, epic: String),
        admitNotifications: @escaping @Sendable ([BoardNotification]) throws -> Void = { _ in },
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> (T, [BoardNotification]) {
        let (task, epic) = prefixes
        return try await self.writer.write { db in
            let transaction = BoardTransaction(db, now: now, actor: actor, taskPrefix: task, epicPrefix: epic)
            let result = try body(transaction)
            let stored = try MessageService.storeNotifications(transaction.notifications, sentAt: now, db)
            try admitNotifications(stored)
            return (result, stored)
        }
    }

    /// Runs `body` in a read transaction with the board helpers (nothing may be written).
    func boardRead<T: Sendable>(
        prefixes: (task: String, epic: String) = ("", ""),
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> T {
        let (task, epic) = prefixes
        return try await self.writer.read { db in
            try body(BoardTransaction(db, now: Date(), actor: .human, taskPrefix: task, epicPrefix: epic))
        }
    }
}

/// The board operations available inside one transaction: lookups by any id form, sequence allocation, the
/// activity log, comments, dependencies with cycle detection, and queued notifications.
final class BoardTransaction {
    let db: Database
    let now: Date
    let actor: BoardActor
    let taskPrefix: String
    let epicPrefix: String
    private(set) var notifications: [BoardNotification] = []

    init(_ db: Database, now: Date, actor: BoardActor, taskPrefix: String, epicPrefix: String) {
        self.db = db
        self.now = now
        self.actor = actor
        self.taskPrefix = taskPrefix
        self.epicPrefix = epicPrefix
    }

    // MARK: - Lookups

    /// The task named by a display id (any case, `WA-1`) or row id; nil when there is none.
    func findTask(_ reference: String) throws -> BoardTaskRecord? {
        switch try BoardDisplayID.parse(reference, kind: .task) {
        case .rowID(let id): try BoardTaskRecord.fetchOne(self.db, key: id)
        case .display(let id): try BoardTaskRecord.filter(sql: "displayId = ? COLLATE NOCASE", arguments: [id]).fetchOne(self.db)
        }
    }

    func requireTask(_ reference: String) throws -> BoardTaskRecord {
        guard let record = try self.findTask(reference) else {
            throw DomainError(.notFound, "no task '\(reference)' on this board; list_kanban_tasks or search_kanban_tasks shows the task ids")
        }
        return record
    }

    func findEpic(_ reference: String) throws -> BoardEpicRecord? {
        switch try BoardDisplayID.parse(reference, kind: .epic) {
        case .rowID(let id): try BoardEpicRecord.fetchOne(self.db, key: id)
        case .display(let id): try BoardEpicRecord.filter(sql: "displayId = ? COLLATE NOCASE", arguments: [id]).fetchOne(self.db)
        }
    }

    func requireEpic(_ reference: String) throws -> BoardEpicRecord {
        guard let record = try self.findEpic(reference) else {
            throw DomainError(.notFound, "no epic '\(reference)' on this board; list_kanban_epics shows the epic ids")
        }
        return record
    }

    /// The agent a board field names (`assignedTo`).
    func agent(_ text: String, field: String) throws -> Agent {
        let address: AgentAddress
        do {
            address = try AgentAddress(parsing: text.trimmingCharacters(in: .whitespaces))
        } catch {
            throw DomainError.invalidArgument("\(field) must be an agent address repo:agent (got '\(text)'); list_peers shows the agents")
        }
        do {
            return try WorkspaceDatabase.fetchAgent(address, self.db)
        } catch let error as DomainError where error.code == .agentNotFound || error.code == .repoNotFound {
            throw DomainError(.agentNotFound, "\(field) '\(address)' is not an agent of this workspace; list_peers shows the agents")
        }
    }

    /// Tasks with their epic display ids and dependencies.
    func tasks(_ records: [BoardTaskRecord]) throws -> [BoardTask] {
        guard !records.isEmpty else { return [] }
        let ids = records.compactMap(\.id)
        var dependencies: [Int64: [String]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
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
        let epicIDs = Array(Set(records.compactMap(\.epicId)))
        var epics: [Int64: String] = [:]
        if !epicIDs.isEmpty {
            let rows = try Row.fetchAll(
                self.db,
                sql: "SELECT id, displayId FROM boardEpic WHERE id IN (\(epicIDs.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(epicIDs)
            )
            for row in rows { epics[row["id"]] = row["displayId"] }
        }
        return records.map { record in
            record.domain(epicDisplayID: record.epicId.flatMap { epics[$0] }, dependsOn: record.id.flatMap { dependencies[$0] } ?? [])
        }
    }

    func task(_ record: BoardTaskRecord) throws -> BoardTask {
        try self.tasks([record])[0]
    }

    func comments(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardComment] {
        try BoardCommentRecord.filter(sql: "itemKind = ? AND itemId = ?", arguments: [kind.rawValue, itemID])
            .order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: displayID) }
    }

    func activity(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardActivity] {
        try BoardActivityRecord.filter(sql: "itemKind = ? AND itemId = ?", arguments: [kind.rawValue, itemID])
            .order(sql: "id").fetchAll(self.db).map { $0.domain(displayID: displayID) }
    }

    /// Tasks of an epic, in sequence order.
    func children(of epicID: Int64) throws -> [BoardTaskRecord] {
        try BoardTaskRecord.filter(sql: "epicId = ?", arguments: [epicID]).order(sql: "sequence").fetchAll(self.db)
    }

    // MARK: - Writes

    /// Hands out the next sequence of `kind` (inside this transaction, so concurrent creates never share one).
    func nextSequence(_ kind: BoardItemKind) throws -> Int {
        try self.db.execute(sql: "UPDATE boardCounter SET last = last + 1 WHERE kind = ?", arguments: [kind.rawValue])
        guard let value = try Int.fetchOne(self.db, sql: "SELECT last FROM boardCounter WHERE kind = ?", arguments: [kind.rawValue]) else {
            throw DomainError(.storage, "the board's \(kind.rawValue) counter is missing; restore the workspace from a backup")
        }
        return value
    }

    /// Appends an activity entry by the transaction's actor. `before`/`after` are JSON texts (see `json`).
    func log(
        _ kind: BoardItemKind,
        _ itemID: Int64,
        _ action: BoardActivity.Action,
        field: String? = nil,
        before: String? = nil,
        after: String? = nil
    )
        throws
    {
        var record = BoardActivityRecord(
            BoardActivity(
                id: 0,
                itemKind: kind,
                itemID: itemID,
                itemDisplayID: "",
                actor: self.actor.address,
                actorAgentID: self.actor.agentID,
                action: action,
                field: field,
                before: before,
                after: after,
                createdAt: self.now
            )
        )
        try record.insert(self.db)
    }

    func addComment(_ kind: BoardItemKind, _ itemID: Int64, displayID: String, type: CommentType, body: String) throws -> BoardComment {
        var record = BoardCommentRecord(
            BoardComment(
                id: 0,
                itemKind: kind,
                itemID: itemID,
                itemDisplayID: displayID,
                author: self.actor.address,
                authorAgentID: self.actor.agentID,
                type: type,
                body: body,
                createdAt: self.now
            )
        )
        try record.insert(self.db)
        try self.log(kind, itemID, .commented, field: type.rawValue, after: Self.json(body))
        return record.domain(displayID: displayID)
    }

    /// Ids of the tasks `taskID` depends on.
    func dependencyIDs(of taskID: Int64) throws -> [Int64] {
        try Int64.fetchAll(self.db, sql: "SELECT dependsOnTaskId FROM boardDependency WHERE taskId = ? ORDER BY dependsOnTaskId", arguments: [taskID])
    }

    /// Replaces the dependencies of `taskID`.
    func setDependencies(of taskID: Int64, to ids: [Int64]) throws {
        try self.db.execute(sql: "DELETE FROM boardDependency WHERE taskId = ?", arguments: [taskID])
        for id in ids {
            try self.db.execute(
                sql: "INSERT INTO boardDependency (taskId, dependsOnTaskId, createdBy, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [taskID, id, self.actor.address, self.now]
            )
        }
    }

    /// The path of a cycle that giving `taskID` the dependencies `ids` would close (`taskID` first and last), or nil.
    func cyclePath(adding ids: [Int64], to taskID: Int64) throws -> [Int64]? {
        // Depth-first from each new dependency along existing edges; reaching taskID closes a cycle.
        var visited: Set<Int64> = []
        func walk(_ node: Int64, _ path: [Int64]) throws -> [Int64]? {
            if node == taskID { return path + [node] }
            guard visited.insert(node).inserted else { return nil }
            for next in try self.dependencyIDs(of: node) {
                if let found = try walk(next, path + [node]) { return found }
            }
            return nil
        }
        for id in ids {
            if let path = try walk(id, [taskID]) { return path }
        }
        return nil
    }

    /// Display ids of task rows, by id.
    func displayIDs(_ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            self.db,
            sql: "SELECT id, displayId FROM boardTask WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
            arguments: StatementArguments(ids)
        )
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"], $0["displayId"]) })
    }

    /// Queues a notification of `event` to each of `recipients` (agent ids with addresses) except the actor.
    func notify(_ recipients: [(AgentID?, String)], event: String, displayID: String, body: String) {
        var seen: Set<AgentID> = []
        for (id, address) in recipients {
            guard let id, id != self.actor.agentID, seen.insert(id).inserted else { continue }
            guard !self.notifications.contains(where: { $0.toAgentID == id && $0.event == event && $0.displayID == displayID }) else {
                continue
            }
            self.notifications.append(
                BoardNotification(toAgentID: id, toAddress: address, event: event, displayID: displayID, body: body)
            )
        }
    }

    // MARK: - Helpers

    /// A value as JSON text for the activity log.
    static func json(_ value: String?) -> String {
        guard let value else { return "null" }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    text += String(format: "\\u%04x", scalar.value)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }

    static func json(_ value: Int?) -> String { value.map(String.init) ?? "null" }

    static func json(_ values: [String]) -> String { "[" + values.map { self.json($0) }.joined(separator: ",") + "]" }

    /// Orders display ids by prefix, then by number (`WA-999` before `WA-1000`).
    static func displayOrder(_ lhs: String, _ rhs: String) -> Bool {
        func split(_ id: String) -> (String, Int) {
            guard let dash = id.lastIndex(of: "-") else { return (id, 0) }
            return (String(id[..<dash]), Int(id[id.index(after: dash)...]) ?? 0)
        }
        let (a, b) = (split(lhs), split(rhs))
        return a.0 == b.0 ? a.1 < b.1 : a.0 < b.0
    }
}
