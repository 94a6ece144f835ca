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

    /// Restores `snapshot` into this (empty) board with its ids, display ids, sequences and timestamps. Agents are
    /// matched by address in this workspace; an address with no agent here keeps its text and no agent id.
    func restore(_ snapshot: BoardSnapshot) throws {
        let counts = try Row.fetchOne(
            self.db,
            sql: """
                SELECT (SELECT COUNT(*) FROM boardTask) AS tasks, (SELECT COUNT(*) FROM boardEpic) AS epics,
                       (SELECT COUNT(*) FROM boardComment) + (SELECT COUNT(*) FROM boardActivity) AS other
                """
        )
        let tasks: Int = counts?["tasks"] ?? 0
        let epics: Int = counts?["epics"] ?? 0
        let other: Int = counts?["other"] ?? 0
        guard tasks + epics + other == 0 else {
            throw DomainError(
                .invalidState,
                "this workspace's board is not empty (\(tasks) tasks, \(epics) epics); a board export is imported only into an empty "
                    + "board — create a new workspace (`whatsagent workspace add NAME`) and import there"
            )
        }
        guard snapshot.version == BoardSnapshot.currentVersion else {
            throw DomainError.invalidArgument(
                "this board export has format version \(snapshot.version); this daemon imports version \(BoardSnapshot.currentVersion)"
            )
        }
        let agents = try WorkspaceDatabase.fetchAgents(self.db)
        let byAddress = Dictionary(agents.map { ($0.address.description.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        let agentID = { (address: String?) -> AgentID? in address.flatMap { byAddress[$0.lowercased()] } }
        let taskIDs = Set(snapshot.tasks.map(\.id))
        let epicIDs = Set(snapshot.epics.map(\.id))
        do {
            for var epic in snapshot.epics {
                epic.assigneeAgentID = agentID(epic.assignee)
                epic.creatorAgentID = agentID(epic.creator)
                epic.closeApproval.requestedByAgentID = agentID(epic.closeApproval.requestedBy)
                var record = BoardEpicRecord(epic)
                try record.insert(self.db)
            }
            for var task in snapshot.tasks {
                if let epic = task.epicID, !epicIDs.contains(epic) {
                    throw DomainError.invalidArgument("task \(task.displayID) names epic id \(epic), which is not in the export")
                }
                // An export from before unassigned tasks (issue 18) wrote a cleared assignee as "".
                if task.assignee?.isEmpty == true { task.assignee = nil }
                task.assigneeAgentID = agentID(task.assignee)
                task.creatorAgentID = agentID(task.creator)
                var record = BoardTaskRecord(task)
                try record.insert(self.db)
            }
            for dependency in snapshot.dependencies {
                guard taskIDs.contains(dependency.taskID), taskIDs.contains(dependency.dependsOnTaskID) else {
                    throw DomainError.invalidArgument(
                        "a dependency names task id \(dependency.taskID) or \(dependency.dependsOnTaskID), which is not in the export"
                    )
                }
                try self.db.execute(
                    sql: "INSERT INTO boardDependency (taskId, dependsOnTaskId, createdBy, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [dependency.taskID, dependency.dependsOnTaskID, dependency.createdBy, dependency.createdAt]
                )
            }
            let known = { (kind: BoardItemKind, id: Int64) in kind == .task ? taskIDs.contains(id) : epicIDs.contains(id) }
            for var comment in snapshot.comments {
                guard known(comment.itemKind, comment.itemID) else {
                    throw DomainError.invalidArgument("comment \(comment.id) belongs to a \(comment.itemKind.rawValue) that is not in the export")
                }
                comment.authorAgentID = agentID(comment.author)
                var record = BoardCommentRecord(comment)
                try record.insert(self.db)
            }
            for var entry in snapshot.activity {
                guard known(entry.itemKind, entry.itemID) else {
                    throw DomainError.invalidArgument("activity entry \(entry.id) belongs to an item that is not in the export")
                }
                entry.actorAgentID = agentID(entry.actor)
                var record = BoardActivityRecord(entry)
                try record.insert(self.db)
            }
        } catch let error as DatabaseError {
            throw DomainError.invalidArgument("the board export does not fit together (\(error.message ?? "\(error)")); export it again")
        }
        let taskSequence = max(snapshot.taskSequence, snapshot.tasks.map(\.sequence).max() ?? 0)
        let epicSequence = max(snapshot.epicSequence, snapshot.epics.map(\.sequence).max() ?? 0)
        try self.db.execute(sql: "UPDATE boardCounter SET last = ? WHERE kind = 'task'", arguments: [taskSequence])
        try self.db.execute(sql: "UPDATE boardCounter SET last = ? WHERE kind = 'epic'", arguments: [epicSequence])
    }
}
