import Foundation
import WhatsAgentAPI

/// A kind of board item, task or epic, as the board's one set of flows sees it (issue 20, "board items once").
///
/// ``BoardService`` creates, reads, lists, patches, moves, comments, archives and searches every kind along the same
/// path (`BoardService+ItemFlows.swift`); a kind says only where the board rules differ for it: what a new row holds
/// and who hears of it, what its detail carries, how it is listed, which patches and moves it refuses, and what a
/// status move does (an epic moved to Completed enters the close approval of reference §13.3). The HTTP routes and the
/// agent tools are generic over it in turn.
package protocol BoardItem: Sendable, Equatable {
    /// The row the store keeps for this kind.
    associatedtype Record: BoardItemRecord where Record.Item == Self
    /// The fields of a new item.
    associatedtype Draft: BoardItemDraft
    /// A field-level change.
    associatedtype Patch: BoardItemPatch
    /// The item with what the detail view adds (dependencies, children, comments, activity).
    associatedtype Detail: Sendable

    /// `WA-007`, `EP-002`.
    var displayID: String { get }
    var status: BoardStatus { get }

    /// Refuses a draft this kind never accepts, before anything is read (an epic created Completed).
    static func check(_ draft: Draft) throws
    /// Inserts a new row from `draft` (its title, details and GitHub fields already checked), logs it and queues the
    /// notifications.
    static func insert(_ draft: Draft, _ fields: BoardItemFields, _ tx: BoardTransaction) throws -> BoardChange<Self>
    /// The detail of `record`.
    static func detail(_ record: Record, _ tx: BoardTransaction) throws -> Detail
    /// The items matching `filter`, in sequence order.
    static func list(_ filter: BoardFilter, _ tx: BoardTransaction) throws -> [Self]
    /// Refuses a patch this kind never accepts, before anything is read (an epic patched to Completed).
    static func check(_ patch: Patch) throws
    /// Whether the patch writes text (refused while the agent is muted).
    static func writesText(_ patch: Patch) -> Bool
    /// Refuses `what` (`edit it`, `move it`) while the row cannot change (an epic waiting for its close approval).
    static func checkChangeable(_ record: Record, _ what: String) throws
    /// Applies `patch` to the row: one activity entry per changed field, and the notifications of reference §13.4.
    static func apply(_ patch: Patch, to record: inout Record, _ tx: BoardTransaction) throws -> BoardChange<Self>
    /// Refuses to archive the row (an epic with unarchived tasks).
    static func checkArchivable(_ record: Record, _ tx: BoardTransaction) throws
    /// Moves the row from `current` to `status`, once the status rules let it.
    static func move(
        _ record: inout Record,
        from current: BoardStatus,
        to status: BoardStatus,
        _ tx: BoardTransaction
    ) throws
        -> BoardChange<Self>
}

extension BoardItem {
    package static var kind: BoardItemKind { Record.kind }

    package static func check(_ draft: Draft) throws {}
    package static func check(_ patch: Patch) throws {}
    package static func writesText(_ patch: Patch) -> Bool { patch.writesText }
    package static func checkChangeable(_ record: Record, _ what: String) throws {}
    package static func checkArchivable(_ record: Record, _ tx: BoardTransaction) throws {}

    /// The name of the agent tool that does `action` to this kind.
    package static func tool(_ action: BoardItemAction) -> String { action.tool(Self.kind) }
}

/// What the board does to one kind of item alike, each an agent tool of its own per kind.
package enum BoardItemAction: String, CaseIterable, Sendable {
    case create, read, list, update, move, comment, archive, search

    /// `create_kanban_task`, `list_kanban_epics`, `update_kanban_task_status`; unarchiving is checked as `archive`.
    package func tool(_ kind: BoardItemKind) -> String {
        switch self {
        case .list, .search: "\(self.rawValue)_kanban_\(kind.rawValue)s"
        case .move: "update_kanban_\(kind.rawValue)_status"
        default: "\(self.rawValue)_kanban_\(kind.rawValue)"
        }
    }
}

/// The fields of a new task or epic that the board checks the same way for both.
package protocol BoardItemDraft: Sendable {
    var title: String { get }
    var details: String { get }
    var github: GitHubLink { get }
}

extension TaskDraft: BoardItemDraft {}
extension EpicDraft: BoardItemDraft {}

/// A draft's title, details and GitHub link once the board's rules accepted them.
package struct BoardItemFields: Sendable {
    package var title: String
    package var details: String
    package var github: GitHubLink

    init(_ draft: some BoardItemDraft) throws {
        self.title = try BoardRules.title(draft.title)
        self.details = try BoardRules.details(draft.details)
        self.github = try BoardRules.github(draft.github)
    }
}
