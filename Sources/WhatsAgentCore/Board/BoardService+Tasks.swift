import Foundation
import WhatsAgentAPI

extension BoardService {
    // MARK: - Task rules

    /// Applies `patch` to the current row: one activity entry per changed field, the notifications of reference
    /// §13.4, and a warning when the task starts with unfinished dependencies.
    static func apply(_ patch: TaskPatch, to record: inout BoardTaskRecord, _ tx: BoardTransaction) throws -> BoardChange<BoardTask> {
        let id = record.id ?? 0
        let original = try tx.task(record)
        var changes = BoardFieldChanges(.task, id, tx)
        var warnings: [String] = []
        typealias J = BoardTransaction
        let previousAssignee = try Self.applyDescription(patch, to: &record, &changes, tx)
        if let link = patch.epic {
            let epic = try Self.epicLink(link, tx, current: record.epicId)
            if epic?.id != record.epicId {
                let before = try record.epicId.flatMap { try tx.epicDisplayID($0) }
                try changes.log("epic", J.json(before), J.json(epic?.displayId))
                record.epicId = epic?.id
            }
        }
        var dependenciesChanged = false
        if let references = patch.dependsOn {
            let ids = try Self.dependencyIDs(references, of: id, tx)
            let current = try tx.dependencyIDs(of: id)
            if Set(ids) != Set(current) {
                let names = try tx.displayIDs(ids + current)
                let list = { (ids: [Int64]) in ids.compactMap { names[$0] }.sorted(by: BoardTransaction.displayOrder) }
                try tx.setDependencies(of: id, to: ids)
                try changes.log("dependencies", J.json(list(current)), J.json(list(ids)))
                dependenciesChanged = true
            }
        }
        try Self.applyGitHub(patch, to: &record, &changes)
        if let value = patch.branch { try changes.set("branch", \.branch, try Self.taskBranch(value), in: &record) }
        var newStatus: BoardStatus?
        if let status = patch.status, status.rawValue != record.status {
            try changes.log("status", J.json(record.status), J.json(status.rawValue))
            record.status = status.rawValue
            record.completedAt = status == .completed ? tx.now : nil
            newStatus = status
            if status == .inProgress, let warning = try Self.unfinishedDependencies(of: record, tx) { warnings.append(warning) }
        }
        guard !changes.fields.isEmpty else { return BoardChange(item: try tx.task(record), before: original) }
        record.updatedAt = tx.now
        try tx.update(record)

        let recipients = Self.recipients(record)
        let display = record.displayId
        let actor = tx.actor.address
        if let previous = previousAssignee {
            tx.notify(
                recipients + [previous],
                event: "reassignment",
                displayID: display,
                body: Self.reassignment(display, from: previous.1, to: record.assigneeAddress, by: actor, record.title)
            )
        }
        if let status = newStatus, let event = BoardRules.taskStatusEvent(status) {
            tx.notify(recipients, event: event, displayID: display, body: "\(display) moved to \(status.rawValue) by \(actor): \(record.title)")
        }
        if dependenciesChanged {
            let now = try tx.dependencyIDs(of: id)
            let names = try tx.displayIDs(now).values.sorted(by: BoardTransaction.displayOrder)
            tx.notify(
                recipients,
                event: "dependency_change",
                displayID: display,
                body: "\(display) dependencies changed by \(actor) to \(names.isEmpty ? "none" : names.joined(separator: ", ")): \(record.title)"
            )
        }
        return BoardChange(
            item: try tx.task(record),
            changedFields: changes.fields,
            warnings: warnings,
            notified: tx.notifications.map(\.toAddress),
            before: original
        )
    }

    /// Resolves an epic link: nil or `none` unlinks; an archived epic is refused unless it is already the link.
    static func epicLink(_ reference: String?, _ tx: BoardTransaction, current: Int64? = nil) throws -> BoardEpicRecord? {
        guard let reference, !reference.trimmingCharacters(in: .whitespaces).isEmpty,
            reference.trimmingCharacters(in: .whitespaces).lowercased() != "none"
        else { return nil }
        let epic = try tx.requireEpic(reference)
        if epic.archivedAt != nil && epic.id != current {
            throw DomainError.invalidArgument(
                "epic \(epic.displayId) is archived; link the task to an active epic (list_kanban_epics) or ask the human to unarchive it"
            )
        }
        return epic
    }

    /// Resolves a dependency list to task ids, refusing unknown ids, a self-dependency and cycles (with the path).
    static func dependencyIDs(_ references: [String], of taskID: Int64?, _ tx: BoardTransaction) throws -> [Int64] {
        var ids: [Int64] = []
        for reference in references {
            guard let record = try tx.findTask(reference), let id = record.id else {
                throw DomainError.invalidArgument(
                    "dependsOnTaskIds: no task '\(reference)' on this board; list_kanban_tasks shows the task ids"
                )
            }
            if id == taskID {
                throw DomainError.invalidArgument("dependsOnTaskIds: \(record.displayId) cannot depend on itself; remove it from the list")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        if let taskID, let path = try tx.cyclePath(adding: ids, to: taskID) {
            let names = try tx.displayIDs(path)
            throw DomainError.invalidArgument(
                "dependsOnTaskIds would create a cycle: \(path.compactMap { names[$0] }.joined(separator: " → ")); "
                    + "remove one of these dependencies"
            )
        }
        return ids
    }

    /// The warning for starting a task whose dependencies are not Completed, or nil.
    static func unfinishedDependencies(of record: BoardTaskRecord, _ tx: BoardTransaction) throws -> String? {
        let open = try tx.rows.dependencyTasks(of: record.id ?? 0, dependents: false)
            .filter { $0.status != BoardStatus.completed.rawValue }
        guard !open.isEmpty else { return nil }
        let list = open.map { "\($0.displayId) (\($0.status))" }.joined(separator: ", ")
        return "\(record.displayId) is In Progress but depends on unfinished \(list); it was started anyway — check with their assignees"
    }

    static func commentEvent(_ type: CommentType, epic: Bool) -> String? {
        let prefix = epic ? "epic_" : ""
        switch type {
        case .blocker: return prefix + "blocker_comment"
        case .verdictGo, .verdictNoGo, .verdictNeedsRevision: return prefix + "verdict_comment"
        case .progress, .note: return nil
        }
    }

    static func checkListLimit(_ limit: Int) throws {
        guard (1...BoardLimits.listLimit).contains(limit) else {
            throw DomainError.invalidArgument("limit must be from 1 to \(BoardLimits.listLimit) (got \(limit))")
        }
    }
}

extension BoardService {
    /// The notification of a changed assignee: assigned (it had none), unassigned (it has none now), or reassigned.
    static func reassignment(_ display: String, from previous: String, to current: String?, by actor: String, _ title: String) -> String {
        guard let current else { return "\(display) was unassigned from \(previous) by \(actor): \(title)" }
        guard previous != BoardUnassigned.label else { return "\(display) was assigned to \(current) by \(actor): \(title)" }
        return "\(display) was reassigned from \(previous) to \(current) by \(actor): \(title)"
    }

    /// A task's branch (issue 23): empty clears it; otherwise a valid git branch name.
    static func taskBranch(_ value: String?) throws -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try WorktreeBranch.validate(value)
        } catch let error as DomainError {
            throw DomainError(error.code, error.message.replacingOccurrences(of: "pass another with --branch", with: "pass another branch"))
        }
    }
}
