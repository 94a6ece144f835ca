import Foundation
import WhatsAgentAPI

extension BoardService {
    // MARK: - Close approval (reference §13.3)

    /// Asks to close an epic (`request_kanban_epic_close`): with no open tasks it becomes Completed at once
    /// (`approved`); otherwise it waits for the human (`pending`). Under an own-assignment grant in `enforce` mode
    /// the epic must be Queued, In Progress, Blocked or Review.
    /// - Throws: `invalid_state` (already pending or Completed), `rbac_denied`, `not_found`.
    public func requestEpicClose(_ reference: String, by actor: BoardActor, workspace: String? = nil) async throws -> EpicCloseOutcome {
        try await self.change(actor, workspace, target: Self.itemTarget(BoardEpicRecord.self, reference, actor)) {
            tx,
            auth in
            var record = try tx.requireEpic(reference)
            let current = BoardStatus(rawValue: record.status) ?? .backlog
            if auth.isNarrow, !BoardStatus.activeStatuses.contains(current), record.closeApproval != CloseApprovalStatus.pending.rawValue {
                throw DomainError(
                    .rbacDenied,
                    "request_kanban_epic_close refused: with a grant for its own epics only, \(tx.actor.address) may request a close "
                        + "from Queued, In Progress, Blocked or Review; \(record.displayId) is \(current.rawValue) — move it first, or ask an agent with the pm role"
                )
            }
            return try Self.close(&record, tx)
        }
    }

    /// Approves a pending close (the human only): the epic becomes Completed; its assignee, creator and the
    /// requester are notified (`epic_close_approved`, `epic_completed`).
    /// - Throws: `invalid_state` when nothing is pending, `rbac_denied` for an agent, `not_found`.
    public func approveEpicClose(_ reference: String, by actor: BoardActor = .human, workspace: String? = nil) async throws -> BoardChange<BoardEpic>
    {
        try Self.requireHuman(actor, "approve closing an epic", command: "whatsagent epic approve-close \(reference)")
        return try await self.change(actor, workspace, target: nil) { tx, _ in
            var record = try tx.requireEpic(reference)
            guard record.closeApproval == CloseApprovalStatus.pending.rawValue else {
                throw DomainError(
                    .invalidState,
                    "epic \(record.displayId) has no pending close request (its status is \(record.status)); an agent requests one with request_kanban_epic_close"
                )
            }
            let id = record.id ?? 0
            try tx.log(.epic, id, .closeApproved)
            if record.status != BoardStatus.completed.rawValue {
                try tx.log(
                    .epic,
                    id,
                    .updated,
                    field: "status",
                    before: BoardTransaction.json(record.status),
                    after: BoardTransaction.json("Completed")
                )
            }
            record.closeApproval = CloseApprovalStatus.approved.rawValue
            record.closeApprovedAt = tx.now
            record.closeApprovedBy = MessageSender.humanAddress
            record.status = BoardStatus.completed.rawValue
            record.completedAt = tx.now
            record.updatedAt = tx.now
            try tx.update(record)
            let recipients = Self.recipients(record) + [(record.closeRequestedByAgentId.map(AgentID.init(rawValue:)), record.closeRequestedBy ?? "")]
            tx.notify(
                recipients,
                event: "epic_close_approved",
                displayID: record.displayId,
                body: "The human approved closing epic \(record.displayId): \(record.title)"
            )
            tx.notify(
                recipients,
                event: "epic_completed",
                displayID: record.displayId,
                body: "Epic \(record.displayId) is Completed: \(record.title)"
            )
            return BoardChange(
                item: record.domain,
                changedFields: ["closeApproval", "status"],
                notified: Array(Set(tx.notifications.map(\.toAddress))).sorted()
            )
        }
    }

    /// Withdraws a pending close request: the human, the requesting agent, the assignee (own-assignment grant) or an
    /// any-scope `cancel_epic_close` grant (`cancel_kanban_epic_close`).
    /// - Throws: `invalid_state` when nothing is pending, `rbac_denied`, `not_found`.
    public func cancelEpicClose(_ reference: String, by actor: BoardActor, workspace: String? = nil) async throws -> BoardChange<BoardEpic> {
        let target: @Sendable (BoardTransaction) throws -> AuthorizationFacts.Target = { tx in
            guard let record = try tx.findEpic(reference) else { return .notFound }
            return Self.target(assignee: record.assigneeAgentId, creator: record.creatorAgentId, requester: record.closeRequestedByAgentId, actor)
        }
        return try await self.change(actor, workspace, target: target) { tx, _ in
            var record = try tx.requireEpic(reference)
            guard record.closeApproval == CloseApprovalStatus.pending.rawValue else {
                throw DomainError(.invalidState, "epic \(record.displayId) has no pending close request to cancel")
            }
            let requester = (record.closeRequestedByAgentId.map(AgentID.init(rawValue:)), record.closeRequestedBy ?? "")
            try tx.log(.epic, record.id ?? 0, .closeApprovalCancelled)
            record.closeApproval = CloseApprovalStatus.none.rawValue
            record.closeRequestedAt = nil
            record.closeRequestedBy = nil
            record.closeRequestedByAgentId = nil
            record.updatedAt = tx.now
            try tx.update(record)
            tx.notify(
                Self.recipients(record) + [requester],
                event: "epic_close_cancelled",
                displayID: record.displayId,
                body: "\(tx.actor.address) cancelled the close request of epic \(record.displayId): \(record.title)"
            )
            return BoardChange(item: record.domain, changedFields: ["closeApproval"], notified: tx.notifications.map(\.toAddress))
        }
    }

    // MARK: Helpers

    static func refusePending(_ record: BoardEpicRecord, _ what: String) throws {
        guard record.closeApproval == CloseApprovalStatus.pending.rawValue else { return }
        throw DomainError(
            .invalidState,
            "epic \(record.displayId) waits for the human's close approval; cancel the request (cancel_kanban_epic_close) to \(what), "
                + "or wait for the human — comments and its tasks can still change"
        )
    }

    static func pendingNote(_ outcome: EpicCloseOutcome) -> String {
        "\(outcome.epic.displayID) has \(outcome.openChildren) open task\(outcome.openChildren == 1 ? "" : "s") "
            + "(\(outcome.childDisplayIDs.joined(separator: ", "))): the close waits for the human's approval"
    }

    /// The close workflow: Completed at once without open tasks, else pending approval.
    static func close(_ record: inout BoardEpicRecord, _ tx: BoardTransaction) throws -> EpicCloseOutcome {
        let id = record.id ?? 0
        if record.closeApproval == CloseApprovalStatus.pending.rawValue {
            throw DomainError(
                .invalidState,
                "epic \(record.displayId) already waits for the human's close approval; cancel it with cancel_kanban_epic_close or wait"
            )
        }
        if record.status == BoardStatus.completed.rawValue {
            throw DomainError(.invalidState, "epic \(record.displayId) is already Completed; nothing to close")
        }
        let open = try tx.children(of: id).filter { $0.status != BoardStatus.completed.rawValue && $0.archivedAt == nil }
        let recipients = Self.recipients(record)
        if open.isEmpty {
            try tx.log(.epic, id, .updated, field: "status", before: BoardTransaction.json(record.status), after: BoardTransaction.json("Completed"))
            record.status = BoardStatus.completed.rawValue
            record.completedAt = tx.now
            record.updatedAt = tx.now
            try tx.update(record)
            tx.notify(
                recipients,
                event: "epic_completed",
                displayID: record.displayId,
                body: "Epic \(record.displayId) was completed by \(tx.actor.address): \(record.title)"
            )
            return EpicCloseOutcome(
                status: .approved,
                epic: record.domain,
                openChildren: 0,
                childDisplayIDs: [],
                notified: tx.notifications.map(\.toAddress)
            )
        }
        let children = open.map(\.displayId)
        try tx.log(.epic, id, .closeApprovalRequested, after: BoardTransaction.json(children))
        record.closeApproval = CloseApprovalStatus.pending.rawValue
        record.closeRequestedAt = tx.now
        record.closeRequestedBy = tx.actor.address
        record.closeRequestedByAgentId = tx.actor.agentID?.rawValue
        record.updatedAt = tx.now
        try tx.update(record)
        tx.notify(
            recipients,
            event: "epic_close_pending_approval",
            displayID: record.displayId,
            body: "\(tx.actor.address) asked to close epic \(record.displayId) with open tasks \(children.joined(separator: ", ")); "
                + "it waits for the human's approval: \(record.title)"
        )
        return EpicCloseOutcome(
            status: .pending,
            epic: record.domain,
            openChildren: open.count,
            childDisplayIDs: children,
            notified: tx.notifications.map(\.toAddress)
        )
    }

    /// Applies a patch to an epic: one activity entry per changed field; reassignment and status notifications.
    static func apply(_ patch: EpicPatch, to record: inout BoardEpicRecord, _ tx: BoardTransaction) throws -> BoardChange<BoardEpic> {
        let id = record.id ?? 0
        let original = record.domain
        var changes = BoardFieldChanges(.epic, id, tx)
        typealias J = BoardTransaction
        let previousAssignee = try Self.applyDescription(patch, to: &record, &changes, tx)
        try Self.applyGitHub(patch, to: &record, &changes)
        var newStatus: BoardStatus?
        if let status = patch.status, status.rawValue != record.status {
            try changes.log("status", J.json(record.status), J.json(status.rawValue))
            if record.status == BoardStatus.completed.rawValue {
                // Reopened: a new close goes through the workflow again.
                record.closeApproval = CloseApprovalStatus.none.rawValue
                record.closeApprovedAt = nil
                record.closeApprovedBy = nil
                record.closeRequestedAt = nil
                record.closeRequestedBy = nil
                record.closeRequestedByAgentId = nil
            }
            record.status = status.rawValue
            record.completedAt = status == .completed ? tx.now : nil
            newStatus = status
        }
        guard !changes.fields.isEmpty else { return BoardChange(item: record.domain, before: original) }
        record.updatedAt = tx.now
        try tx.update(record)
        let display = record.displayId
        let actor = tx.actor.address
        if let previous = previousAssignee {
            tx.notify(
                Self.recipients(record) + [previous],
                event: "epic_reassigned",
                displayID: display,
                body:
                    "Epic \(display) was reassigned from \(previous.1) to \(BoardUnassigned.display(record.assigneeAddress)) by \(actor): \(record.title)"
            )
        }
        if let status = newStatus {
            tx.notify(
                Self.recipients(record),
                event: BoardRules.epicStatusEvent(status),
                displayID: display,
                body: "Epic \(display) moved to \(status.rawValue) by \(actor): \(record.title)"
            )
        }
        return BoardChange(item: record.domain, changedFields: changes.fields, notified: tx.notifications.map(\.toAddress), before: original)
    }
}
