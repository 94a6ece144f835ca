import Foundation
import Logging
import WhatsAgentAPI

/// The Kanban board of a workspace (SPEC §9): tasks and epics with comments, dependencies, an activity log,
/// archive, epic close approval, notifications through the inbox, full-text search, and export/import.
///
/// Every change is one write transaction that applies a field-level patch to the current row, so two agents editing
/// different fields of one task both land (same field: the last writer wins; both edits are in the activity log).
/// An agent actor comes with the RBAC check of the tool it called (the agent tool dispatcher makes it); the board runs
/// it inside the change's transaction, with the scope decided by the agent's relation to the target row (assignee →
/// `own_assignment`, creator → `created_by_self`). The human is not subject to RBAC.
///
/// ```swift
/// let board = BoardService(workspaces: workspaces, messages: messages, rbac: rbac)
/// let check = rbac.check(identity: identity, tool: "create_kanban_task", ceiling: .enforce)
/// let created = try await board.create(BoardTask.self, TaskDraft(title: "Add login", assignedTo: "api:dev"), by: .agent(identity, check))
/// _ = try await board.move(BoardTask.self, created.item.displayID, to: .review, by: .human)
/// ```
public struct BoardService: Sendable {
    let workspaces: WorkspaceService
    let messages: MessageService
    let rbac: RBACService
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - messages: stores and pushes the notifications.
    ///   - rbac: runs a read's check in a transaction of its own.
    public init(
        workspaces: WorkspaceService,
        messages: MessageService,
        rbac: RBACService,
        now: @escaping @Sendable () -> Date = WallClock.now,
        logger: Logger = Logger(label: "whatsagent.board")
    ) {
        self.workspaces = workspaces
        self.messages = messages
        self.rbac = rbac
        self.now = now
        self.logger = logger
    }

    // MARK: - Helpers

    /// How a call was let through.
    struct Authorization: Sendable {
        var decision: Decision?

        static let human = Authorization(decision: nil)

        /// `enforce` mode and only a scoped grant (own_assignment, created_by_self) let the call through: the status
        /// rules of reference §13.2 apply.
        var isNarrow: Bool {
            guard let decision else { return false }
            return decision.mode == .enforce && decision.outcome == .pass && decision.matchedScope != nil
        }
    }

    /// The workspace an actor works in: an agent's own, or the one the human named.
    func open(_ actor: BoardActor, _ reference: String?) async throws -> (Workspace, any BoardStore & MessagingStore) {
        if case .agent(let identity, _) = actor {
            return (identity.workspace, identity.store)
        }
        return try await self.workspaces.boardStore(for: reference)
    }

    /// Runs one change in one write transaction: the mute, the actor's relation to the row (`target`), the agent's RBAC
    /// check and its audit row, `body`, and the queued notifications are all read and written inside it; the
    /// notifications are pushed after the commit. A denied agent commits its audit row alone and gets `rbac_denied`.
    ///
    /// An agent's change that notifies counts one send against its rate limit, inside the transaction: past the
    /// limit the change is refused whole (`rate_limited`, nothing written). A change that `writesText` (creating an
    /// item, its title, details or GitHub fields, a comment) is refused with `agent_muted` while the human has muted
    /// the agent; status moves are not.
    func change<T: Sendable>(
        _ actor: BoardActor,
        _ reference: String?,
        commentType: CommentType? = nil,
        writesText: Bool = false,
        target: (@Sendable (BoardTransaction) throws -> AuthorizationFacts.Target)?,
        _ body: @escaping @Sendable (BoardTransaction, Authorization) throws -> T
    ) async throws -> T {
        let (workspace, database) = try await self.open(actor, reference)
        let messages = self.messages
        let admitNotifications: @Sendable ([BoardNotification]) throws -> Void = { notifications in
            guard !notifications.isEmpty, case .agent(let identity, _) = actor else { return }
            try messages.admit(.agent(identity), in: workspace)
        }
        var check: ToolCheck?
        if case .agent(_, let agentCheck) = actor { check = agentCheck }
        let outcome: Checked<T>
        let notifications: [BoardNotification]
        do {
            (outcome, notifications) = try await database.boardWrite(
                now: self.now(),
                actor: actor,
                prefixes: (workspace.kanbanPrefix, workspace.epicPrefix),
                admitNotifications: admitNotifications
            ) { [check] transaction -> Checked<T> in
                var authorization = Authorization.human
                if case .agent(let identity, _) = actor {
                    if writesText, try transaction.rows.isMuted(identity.agent.id) {
                        throw DomainError(.agentMuted, MessageService.mutedText(identity.agent.address.description))
                    }
                    if let check {
                        let facts = AuthorizationFacts(target: try target?(transaction) ?? .unspecified, commentType: commentType)
                        switch try check.run(transaction.rows, facts: facts) {
                        case .denied(let error): return .denied(error)
                        case .allowed(let decision): authorization = Authorization(decision: decision)
                        }
                    }
                }
                return .done(try body(transaction, authorization))
            }
            check?.committed()
        } catch {
            // The change was refused after its check passed (a status rule, the rate limit): its audit row went with
            // the transaction, so it is written on its own.
            try await check?.settleAfterFailure(checkIfNotRun: false)
            throw error
        }
        switch outcome {
        case .denied(let error):
            throw error
        case .done(let result):
            for event in Self.events(of: result) + Self.events(notifying: notifications) {
                self.workspaces.events.publish(event, workspace: workspace.id)
            }
            await self.push(notifications, database)
            return result
        }
    }

    /// Runs a read after an agent's check (reads need only the kanban-read family), in a transaction of its own.
    func read<T: Sendable>(
        _ actor: BoardActor,
        _ reference: String?,
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> T {
        let (_, database) = try await self.open(actor, reference)
        if case .agent(_, let check) = actor {
            try await self.rbac.authorize(check)
        }
        return try await database.boardRead(body)
    }

    /// Pushes committed notifications; a failed push only delays them (they wait in the inbox).
    func push(_ notifications: [BoardNotification], _ store: any MessagingStore) async {
        do {
            try await self.messages.pushNotifications(notifications, store)
        } catch {
            self.logger.debug("board notification push failed; the notifications wait in the inbox", metadata: ["error": "\(error)"])
        }
    }

    /// The actor's relation to a row, for RBAC scope.
    static func target(assignee: String?, creator: String?, requester: String? = nil, _ actor: BoardActor) -> AuthorizationFacts.Target {
        guard let id = actor.agentID?.rawValue else { return .unspecified }
        return .found(isAssignee: assignee == id || (requester != nil && requester == id), isCreator: creator == id)
    }

    /// Refuses agent actors for what only the human may do.
    static func requireHuman(_ actor: BoardActor, _ what: String, command: String) throws {
        guard case .agent(let identity, _) = actor else { return }
        throw DomainError(
            .rbacDenied,
            "only the human can \(what); \(identity.agent.address) cannot — ask the human (`\(command)` or the web board)"
        )
    }
}
