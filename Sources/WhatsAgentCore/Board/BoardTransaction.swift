import Foundation
import WhatsAgentAPI

/// The board operations available inside one transaction: lookups by any id form, sequence allocation, the
/// activity log, comments, dependencies with cycle detection, and queued notifications. The rules live here; the
/// rows come from the store (``BoardRows``).
package final class BoardTransaction {
    let rows: any BoardRows
    let now: Date
    let actor: BoardActor
    let taskPrefix: String
    let epicPrefix: String
    package private(set) var notifications: [BoardNotification] = []

    package init(_ rows: any BoardRows, now: Date, actor: BoardActor, taskPrefix: String, epicPrefix: String) {
        self.rows = rows
        self.now = now
        self.actor = actor
        self.taskPrefix = taskPrefix
        self.epicPrefix = epicPrefix
    }

    // MARK: - Lookups

    /// The task named by a display id (any case, `WA-1`) or row id; nil when there is none.
    func findTask(_ reference: String) throws -> BoardTaskRecord? {
        switch try BoardDisplayID.parse(reference, kind: .task) {
        case .rowID(let id): try self.rows.task(id: id)
        case .display(let id): try self.rows.task(displayID: id)
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
        case .rowID(let id): try self.rows.epic(id: id)
        case .display(let id): try self.rows.epic(displayID: id)
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
            return try self.rows.agent(address)
        } catch let error as DomainError where error.code == .agentNotFound || error.code == .repoNotFound {
            throw DomainError(.agentNotFound, "\(field) '\(address)' is not an agent of this workspace; list_peers shows the agents")
        }
    }

    /// Tasks with their epic display ids and dependencies.
    func tasks(_ records: [BoardTaskRecord]) throws -> [BoardTask] {
        try self.rows.assemble(records)
    }

    func task(_ record: BoardTaskRecord) throws -> BoardTask {
        try self.tasks([record])[0]
    }

    func comments(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardComment] {
        try self.rows.comments(kind, itemID, displayID: displayID)
    }

    func activity(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardActivity] {
        try self.rows.activity(kind, itemID, displayID: displayID)
    }

    /// Tasks of an epic, in sequence order.
    func children(of epicID: Int64) throws -> [BoardTaskRecord] {
        try self.rows.tasks(inEpic: epicID)
    }

    /// The display id of an epic row, or nil.
    func epicDisplayID(_ id: Int64) throws -> String? {
        try self.rows.epic(id: id)?.displayId
    }

    // MARK: - Writes

    /// Hands out the next sequence of `kind` (inside this transaction, so concurrent creates never share one).
    func nextSequence(_ kind: BoardItemKind) throws -> Int {
        try self.rows.nextSequence(kind)
    }

    func insert(_ task: inout BoardTaskRecord) throws { try self.rows.insert(&task) }
    func update(_ task: BoardTaskRecord) throws { try self.rows.update(task) }
    func insert(_ epic: inout BoardEpicRecord) throws { try self.rows.insert(&epic) }
    func update(_ epic: BoardEpicRecord) throws { try self.rows.update(epic) }

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
        try self.rows.insert(
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
    }

    func addComment(_ kind: BoardItemKind, _ itemID: Int64, displayID: String, type: CommentType, body: String) throws -> BoardComment {
        let comment = try self.rows.insert(
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
        try self.log(kind, itemID, .commented, field: type.rawValue, after: Self.json(body))
        return comment
    }

    /// Ids of the tasks `taskID` depends on.
    func dependencyIDs(of taskID: Int64) throws -> [Int64] {
        try self.rows.dependencyIDs(of: taskID)
    }

    /// Replaces the dependencies of `taskID`.
    func setDependencies(of taskID: Int64, to ids: [Int64]) throws {
        try self.rows.setDependencies(of: taskID, to: ids, by: self.actor.address, at: self.now)
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
        try self.rows.displayIDs(.task, ids)
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

    // MARK: - Search and export

    func search(_ kind: BoardItemKind, pattern: String, exact: String?, query: BoardSearchQuery) throws -> BoardSearchResult {
        try self.rows.search(kind, pattern: pattern, exact: exact, query: query)
    }

    func snapshot() throws -> BoardSnapshot {
        try self.rows.snapshot(taskPrefix: self.taskPrefix, epicPrefix: self.epicPrefix)
    }

    /// Imports `snapshot` into this board, which must be empty (``BoardRestore`` checks the export).
    func restore(_ snapshot: BoardSnapshot) throws {
        let counts = try self.rows.rowCounts()
        guard counts.isEmpty else { throw BoardRestore.notEmpty(counts) }
        try self.rows.restore(BoardRestore(snapshot, agents: try self.rows.agents()))
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
