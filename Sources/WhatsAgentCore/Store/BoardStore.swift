import Foundation
import WhatsAgentAPI

/// The board's storage (issue 19, SPEC §9). A board change is one write transaction: the service's body runs inside
/// it on a ``BoardTransaction`` (the board's rules, written once in the core) over the store's ``BoardRows`` (the
/// rows, written once per store); the board notifications the body queued are stored in the same transaction.
///
/// The body is synchronous: SQLite runs it inside its one writer. A store whose driver is asynchronous (PostgreSQL)
/// runs it on a thread of its own that waits on each query (never on a thread of Swift's concurrency pool), so the
/// rules stay in one place.
package protocol BoardStore: Sendable {
    /// Runs `body` in one write transaction; the notifications it queued are stored in the same transaction (as
    /// queued `kanban` messages, SPEC §9) and returned with their message ids, to push after the commit.
    /// `admitNotifications` runs last, inside the transaction, with those notifications: when it throws (the actor's
    /// rate limit), nothing of the change is written.
    func boardWrite<T: Sendable>(
        now: Date,
        actor: BoardActor,
        prefixes: (task: String, epic: String),
        admitNotifications: @escaping @Sendable ([BoardNotification]) throws -> Void,
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> (T, [BoardNotification])

    /// Runs `body` in a read transaction (nothing may be written).
    func boardRead<T: Sendable>(
        prefixes: (task: String, epic: String),
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> T
}

extension BoardStore {
    func boardWrite<T: Sendable>(
        now: Date,
        actor: BoardActor,
        prefixes: (task: String, epic: String),
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> (T, [BoardNotification]) {
        try await self.boardWrite(now: now, actor: actor, prefixes: prefixes, admitNotifications: { _ in }, body)
    }

    func boardRead<T: Sendable>(_ body: @escaping @Sendable (BoardTransaction) throws -> T) async throws -> T {
        try await self.boardRead(prefixes: ("", ""), body)
    }
}

/// The rows of one board transaction: lookups, inserts and updates, nothing more. What the board decides (ids it
/// accepts, the errors it names, cycles, the activity log's entries, notifications) lives in ``BoardTransaction``.
package protocol BoardRows: CheckRows {
    /// Whether the human has muted the agent (a board change that writes text is refused then).
    func isMuted(_ agent: AgentID) throws -> Bool

    // MARK: Items
    func task(id: Int64) throws -> BoardTaskRecord?
    /// The task with this display id, compared without case.
    func task(displayID: String) throws -> BoardTaskRecord?
    func epic(id: Int64) throws -> BoardEpicRecord?
    func epic(displayID: String) throws -> BoardEpicRecord?
    /// Tasks matching `filter` (its `epic` is given resolved as `epic`), in sequence order, at most `filter.limit`.
    func tasks(_ filter: BoardFilter, epic: BoardEpicFilter) throws -> [BoardTaskRecord]
    /// Epics matching `filter` (its `epic` field is ignored), in sequence order, at most `filter.limit`.
    func epics(_ filter: BoardFilter) throws -> [BoardEpicRecord]
    /// Tasks of an epic, in sequence order.
    func tasks(inEpic epicID: Int64) throws -> [BoardTaskRecord]
    func insert(_ task: inout BoardTaskRecord) throws
    func update(_ task: BoardTaskRecord) throws
    func insert(_ epic: inout BoardEpicRecord) throws
    func update(_ epic: BoardEpicRecord) throws
    /// Hands out the next sequence of `kind` (inside this transaction, so concurrent creates never share one).
    func nextSequence(_ kind: BoardItemKind) throws -> Int

    // MARK: Dependencies
    /// Ids of the tasks `taskID` depends on, ascending.
    func dependencyIDs(of taskID: Int64) throws -> [Int64]
    /// The tasks `taskID` depends on (`dependents == false`) or that depend on it (`true`), in sequence order.
    func dependencyTasks(of taskID: Int64, dependents: Bool) throws -> [BoardTaskRecord]
    /// Replaces the dependencies of `taskID`.
    func setDependencies(of taskID: Int64, to ids: [Int64], by actor: String, at date: Date) throws
    /// Display ids of the tasks each of `taskIDs` depends on.
    func dependencyDisplayIDs(of taskIDs: [Int64]) throws -> [Int64: [String]]
    /// Display ids of rows of `kind`, by id.
    func displayIDs(_ kind: BoardItemKind, _ ids: [Int64]) throws -> [Int64: String]

    // MARK: Comments and activity
    func insert(_ comment: BoardComment) throws -> BoardComment
    func insert(_ activity: BoardActivity) throws
    func comments(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardComment]
    func activity(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardActivity]

    // MARK: Agents, search, export
    /// The agent at `address`; `agent_not_found` / `repo_not_found` when there is none.
    func agent(_ address: AgentAddress) throws -> Agent
    /// Full-text search (each store documents its `rank`: relative within one result list).
    func search(_ kind: BoardItemKind, pattern: String, exact: String?, query: BoardSearchQuery) throws -> BoardSearchResult
    /// The whole board, rows in id order.
    func snapshot(taskPrefix: String, epicPrefix: String) throws -> BoardSnapshot
    /// How many rows the board holds.
    func rowCounts() throws -> BoardRowCounts
    /// Every agent of the workspace (an import matches them by address).
    func agents() throws -> [Agent]
    /// Writes the checked rows of an import into this (empty) board with their ids, display ids, sequences and
    /// timestamps, and sets the counters.
    /// - Throws: ``BoardRestore/doesNotFit(_:)`` when the rows break a constraint of the store.
    func restore(_ rows: BoardRestore) throws
}

/// How a task listing is limited by epic.
package enum BoardEpicFilter: Sendable, Equatable {
    case any
    /// Tasks without an epic (`epic: none`).
    case none
    case epic(Int64)
}

extension BoardRows {
    /// Tasks with their epic display ids and dependencies.
    package func assemble(_ records: [BoardTaskRecord]) throws -> [BoardTask] {
        guard !records.isEmpty else { return [] }
        let dependencies = try self.dependencyDisplayIDs(of: records.compactMap(\.id))
        let epics = try self.displayIDs(.epic, Array(Set(records.compactMap(\.epicId))))
        return records.map { record in
            record.domain(epicDisplayID: record.epicId.flatMap { epics[$0] }, dependsOn: record.id.flatMap { dependencies[$0] } ?? [])
        }
    }
}
