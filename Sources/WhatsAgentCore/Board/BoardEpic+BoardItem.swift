import Foundation
import WhatsAgentAPI

/// Where the board rules differ for epics: an assignee always, children instead of dependencies, no archive while a
/// task is unarchived, and Completed only through the close approval of reference §13.3 (never by creation or patch;
/// a move to Completed requests the close; nothing but comments while a close waits for the human).
extension BoardEpic: BoardItem {
    package typealias Record = BoardEpicRecord

    package static func check(_ draft: EpicDraft) throws {
        guard draft.status != .completed else {
            throw DomainError.invalidArgument(
                "an epic cannot be created Completed; create it, then close it with request_kanban_epic_close once its tasks are done"
            )
        }
    }

    /// A new epic notifies its assignee (`epic_assigned`).
    package static func insert(_ draft: EpicDraft, _ fields: BoardItemFields, _ tx: BoardTransaction) throws -> BoardChange<BoardEpic> {
        let assignee = try tx.agent(draft.assignedTo, field: "assignedTo")
        let sequence = try tx.nextSequence(.epic)
        var record = BoardEpicRecord(
            BoardEpic(
                id: 0,
                displayID: BoardDisplayID.format(prefix: tx.epicPrefix, sequence: sequence),
                sequence: sequence,
                title: fields.title,
                details: fields.details,
                status: draft.status,
                priority: draft.priority,
                effort: draft.effort,
                assignee: assignee.address.description,
                assigneeAgentID: assignee.id,
                creator: tx.actor.address,
                creatorAgentID: tx.actor.agentID,
                github: fields.github,
                closeApproval: EpicCloseApproval(),
                createdAt: tx.now,
                updatedAt: tx.now,
                completedAt: nil,
                archivedAt: nil,
                archivedBy: nil
            )
        )
        try tx.insert(&record)
        guard let id = record.id else { throw DomainError(.storage, "the new epic got no id; try again") }
        try tx.log(.epic, id, .created, after: BoardTransaction.json(record.displayId))
        tx.notify(
            [(assignee.id, assignee.address.description)],
            event: "epic_assigned",
            displayID: record.displayId,
            body: "Epic \(record.displayId) was assigned to \(assignee.address) by \(tx.actor.address): \(fields.title)"
        )
        return BoardChange(item: record.domain, notified: tx.notifications.map(\.toAddress))
    }

    /// The epic with its children, comments and activity.
    package static func detail(_ record: BoardEpicRecord, _ tx: BoardTransaction) throws -> EpicDetail {
        let id = record.id ?? 0
        return EpicDetail(
            epic: record.domain,
            children: try tx.children(of: id).map(\.ref),
            comments: try tx.comments(.epic, id, displayID: record.displayId),
            activity: try tx.activity(.epic, id, displayID: record.displayId)
        )
    }

    /// Epics matching the filter (its `epic` field is ignored).
    package static func list(_ filter: BoardFilter, _ tx: BoardTransaction) throws -> [BoardEpic] {
        try tx.rows.epics(filter).map(\.domain)
    }

    package static func check(_ patch: EpicPatch) throws {
        guard patch.status != .completed else {
            throw DomainError.invalidArgument(
                "update_kanban_epic cannot set Completed; use update_kanban_epic_status or request_kanban_epic_close (the close approval workflow)"
            )
        }
    }

    package static func checkChangeable(_ record: BoardEpicRecord, _ what: String) throws {
        try BoardService.refusePending(record, what)
    }

    package static func checkArchivable(_ record: BoardEpicRecord, _ tx: BoardTransaction) throws {
        let open = try tx.children(of: record.id ?? 0).filter { $0.archivedAt == nil }
        guard open.isEmpty else {
            throw DomainError(
                .invalidState,
                "epic \(record.displayId) still has unarchived tasks \(open.map(\.displayId).joined(separator: ", ")); "
                    + "archive them first (archive_kanban_task) or move them to another epic (update_kanban_task epicId)"
            )
        }
    }

    package static func apply(_ patch: EpicPatch, to record: inout BoardEpicRecord, _ tx: BoardTransaction) throws -> BoardChange<BoardEpic> {
        try BoardService.apply(patch, to: &record, tx)
    }

    /// A move to Completed enters the close workflow: Completed at once without open tasks, else pending approval.
    package static func move(
        _ record: inout BoardEpicRecord,
        from current: BoardStatus,
        to status: BoardStatus,
        _ tx: BoardTransaction
    ) throws
        -> BoardChange<BoardEpic>
    {
        guard status == .completed && current != .completed else { return try BoardService.apply(EpicPatch(status: status), to: &record, tx) }
        let original = record.domain
        let outcome = try BoardService.close(&record, tx)
        return BoardChange(
            item: outcome.epic,
            changedFields: outcome.status == .pending ? ["closeApproval"] : ["status"],
            warnings: outcome.status == .pending ? [BoardService.pendingNote(outcome)] : [],
            notified: outcome.notified,
            close: outcome,
            before: original
        )
    }
}
