import Foundation
import WhatsAgentAPI

/// A board export checked for an import into an empty board (docs/board.md, "Export and import"): the rows to store
/// with their ids, display ids, sequences and timestamps, and the counters to continue from. Agents are matched by
/// address in the importing workspace; an address with no agent there keeps its text and no agent id. The checks are
/// the core's; a store only writes the rows (``BoardRows/restore(_:)``).
package struct BoardRestore: Sendable {
    package var epics: [BoardEpicRecord]
    package var tasks: [BoardTaskRecord]
    package var dependencies: [BoardDependency]
    package var comments: [BoardComment]
    package var activity: [BoardActivity]
    /// The last sequence handed out, per kind: the export's, or its highest row's when that is higher.
    package var taskSequence: Int
    package var epicSequence: Int

    /// - Parameter agents: the importing workspace's agents.
    /// - Throws: `invalid_argument` for another format version, or rows naming an item the export does not hold.
    package init(_ snapshot: BoardSnapshot, agents: [Agent]) throws {
        guard snapshot.version == BoardSnapshot.currentVersion else {
            throw DomainError.invalidArgument(
                "this board export has format version \(snapshot.version); this daemon imports version \(BoardSnapshot.currentVersion)"
            )
        }
        let byAddress = Dictionary(agents.map { ($0.address.description.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        let agentID = { (address: String?) -> AgentID? in address.flatMap { byAddress[$0.lowercased()] } }
        let taskIDs = Set(snapshot.tasks.map(\.id))
        let epicIDs = Set(snapshot.epics.map(\.id))
        self.epics = snapshot.epics.map { epic in
            var epic = epic
            epic.assigneeAgentID = agentID(epic.assignee)
            epic.creatorAgentID = agentID(epic.creator)
            epic.closeApproval.requestedByAgentID = agentID(epic.closeApproval.requestedBy)
            return BoardEpicRecord(epic)
        }
        self.tasks = try snapshot.tasks.map { task in
            var task = task
            if let epic = task.epicID, !epicIDs.contains(epic) {
                throw DomainError.invalidArgument("task \(task.displayID) names epic id \(epic), which is not in the export")
            }
            // An export from before unassigned tasks (issue 18) wrote a cleared assignee as "".
            if task.assignee?.isEmpty == true { task.assignee = nil }
            task.assigneeAgentID = agentID(task.assignee)
            task.creatorAgentID = agentID(task.creator)
            return BoardTaskRecord(task)
        }
        for dependency in snapshot.dependencies {
            guard taskIDs.contains(dependency.taskID), taskIDs.contains(dependency.dependsOnTaskID) else {
                throw DomainError.invalidArgument(
                    "a dependency names task id \(dependency.taskID) or \(dependency.dependsOnTaskID), which is not in the export"
                )
            }
        }
        self.dependencies = snapshot.dependencies
        let known = { (kind: BoardItemKind, id: Int64) in kind == .task ? taskIDs.contains(id) : epicIDs.contains(id) }
        self.comments = try snapshot.comments.map { comment in
            guard known(comment.itemKind, comment.itemID) else {
                throw DomainError.invalidArgument("comment \(comment.id) belongs to a \(comment.itemKind.rawValue) that is not in the export")
            }
            var comment = comment
            comment.authorAgentID = agentID(comment.author)
            return comment
        }
        self.activity = try snapshot.activity.map { entry in
            guard known(entry.itemKind, entry.itemID) else {
                throw DomainError.invalidArgument("activity entry \(entry.id) belongs to an item that is not in the export")
            }
            var entry = entry
            entry.actorAgentID = agentID(entry.actor)
            return entry
        }
        self.taskSequence = max(snapshot.taskSequence, snapshot.tasks.map(\.sequence).max() ?? 0)
        self.epicSequence = max(snapshot.epicSequence, snapshot.epics.map(\.sequence).max() ?? 0)
    }

    /// The refusal of an import into a board that already holds rows.
    package static func notEmpty(_ counts: BoardRowCounts) -> DomainError {
        DomainError(
            .invalidState,
            "this workspace's board is not empty (\(counts.tasks) tasks, \(counts.epics) epics); a board export is imported only into an "
                + "empty board — create a new workspace (`whatsagent workspace add NAME`) and import there"
        )
    }

    /// The refusal of rows the store could not fit together (a constraint the checks above do not cover).
    package static func doesNotFit(_ reason: String) -> DomainError {
        DomainError.invalidArgument("the board export does not fit together (\(reason)); export it again")
    }
}

/// How many rows a board holds (an import needs none).
package struct BoardRowCounts: Sendable, Equatable {
    package var tasks: Int
    package var epics: Int
    /// Comments and activity entries.
    package var other: Int

    package init(tasks: Int, epics: Int, other: Int) {
        (self.tasks, self.epics, self.other) = (tasks, epics, other)
    }

    package var isEmpty: Bool { self.tasks + self.epics + self.other == 0 }
}
