import Foundation
import WhatsAgentAPI

/// Where the board rules differ for tasks: an optional assignee (issue 18), an epic link, dependencies with their
/// warning when a task starts before them, and a branch (issue 23).
extension BoardTask: BoardItem {
    package typealias Record = BoardTaskRecord

    /// A new task notifies its assignee (`assignment`); an unassigned one notifies nobody.
    package static func insert(_ draft: TaskDraft, _ fields: BoardItemFields, _ tx: BoardTransaction) throws -> BoardChange<BoardTask> {
        let assignee = try draft.assignedTo.flatMap { BoardUnassigned.matches($0) ? nil : try tx.agent($0, field: "assignedTo") }
        let epic = try BoardService.epicLink(draft.epic, tx)
        let dependencies = try BoardService.dependencyIDs(draft.dependsOn, of: nil, tx)
        let sequence = try tx.nextSequence(.task)
        var record = BoardTaskRecord(
            BoardTask(
                id: 0,
                displayID: BoardDisplayID.format(prefix: tx.taskPrefix, sequence: sequence),
                sequence: sequence,
                title: fields.title,
                details: fields.details,
                status: draft.status,
                priority: draft.priority,
                effort: draft.effort,
                assignee: assignee?.address.description,
                assigneeAgentID: assignee?.id,
                creator: tx.actor.address,
                creatorAgentID: tx.actor.agentID,
                github: fields.github,
                epicID: epic?.id,
                epicDisplayID: nil,
                dependsOn: [],
                createdAt: tx.now,
                updatedAt: tx.now,
                completedAt: draft.status == .completed ? tx.now : nil,
                archivedAt: nil,
                archivedBy: nil
            )
        )
        try tx.insert(&record)
        guard let id = record.id else { throw DomainError(.storage, "the new task got no id; try again") }
        try tx.setDependencies(of: id, to: dependencies)
        try tx.log(.task, id, .created, after: BoardTransaction.json(record.displayId))
        var warnings: [String] = []
        if draft.status == .inProgress, let warning = try BoardService.unfinishedDependencies(of: record, tx) { warnings.append(warning) }
        if let assignee {
            tx.notify(
                [(assignee.id, assignee.address.description)],
                event: "assignment",
                displayID: record.displayId,
                body: "\(record.displayId) was assigned to \(assignee.address) by \(tx.actor.address): \(fields.title)"
            )
        }
        return BoardChange(item: try tx.task(record), warnings: warnings, notified: tx.notifications.map(\.toAddress))
    }

    /// The task with its dependencies, dependents, comments and activity.
    package static func detail(_ record: BoardTaskRecord, _ tx: BoardTransaction) throws -> TaskDetail {
        let id = record.id ?? 0
        return TaskDetail(
            task: try tx.task(record),
            dependencies: try tx.rows.dependencyTasks(of: id, dependents: false).map(\.ref),
            dependedBy: try tx.rows.dependencyTasks(of: id, dependents: true).map(\.ref),
            comments: try tx.comments(.task, id, displayID: record.displayId),
            activity: try tx.activity(.task, id, displayID: record.displayId)
        )
    }

    /// Tasks of the filter's epic (`none`: without an epic), or of any.
    package static func list(_ filter: BoardFilter, _ tx: BoardTransaction) throws -> [BoardTask] {
        var epic = BoardEpicFilter.any
        if let reference = filter.epic {
            if reference.trimmingCharacters(in: .whitespaces).lowercased() == "none" {
                epic = .none
            } else {
                epic = .epic(try tx.requireEpic(reference).id ?? 0)
            }
        }
        return try tx.tasks(try tx.rows.tasks(filter, epic: epic))
    }

    /// A new branch counts as text, like the title.
    package static func writesText(_ patch: TaskPatch) -> Bool { patch.writesText || patch.branch != nil }

    package static func apply(_ patch: TaskPatch, to record: inout BoardTaskRecord, _ tx: BoardTransaction) throws -> BoardChange<BoardTask> {
        try BoardService.apply(patch, to: &record, tx)
    }

    /// Any move is a status patch; starting with unfinished dependencies warns.
    package static func move(
        _ record: inout BoardTaskRecord,
        from current: BoardStatus,
        to status: BoardStatus,
        _ tx: BoardTransaction
    ) throws
        -> BoardChange<BoardTask>
    {
        try BoardService.apply(TaskPatch(status: status), to: &record, tx)
    }
}
