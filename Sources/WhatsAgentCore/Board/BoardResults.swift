import Foundation
import WhatsAgentAPI

/// The result of a change: the item as stored afterwards, and what the caller should know.
public struct BoardChange<Item: Sendable & Equatable>: Sendable, Equatable {
    public var item: Item
    /// The fields that changed (empty when the call changed nothing).
    public var changedFields: [String]
    /// Non-blocking notes, e.g. starting a task whose dependencies are not Completed.
    public var warnings: [String]
    /// Addresses of the agents notified through their inbox.
    public var notified: [String]
    /// Set when an epic move to Completed entered the close workflow (`moveEpic`).
    public var close: EpicCloseOutcome?
    /// The item as it was before the call (for updates and moves), e.g. to show `Queued → Review`.
    public var before: Item?

    public init(
        item: Item,
        changedFields: [String] = [],
        warnings: [String] = [],
        notified: [String] = [],
        close: EpicCloseOutcome? = nil,
        before: Item? = nil
    ) {
        self.item = item
        self.changedFields = changedFields
        self.warnings = warnings
        self.notified = notified
        self.close = close
        self.before = before
    }
}

/// A task with everything around it (`read_kanban_task`).
public struct TaskDetail: Sendable, Equatable {
    public var task: BoardTask
    /// The tasks it depends on.
    public var dependencies: [BoardTaskRef]
    /// The tasks that depend on it.
    public var dependedBy: [BoardTaskRef]
    /// Oldest first.
    public var comments: [BoardComment]
    /// Oldest first.
    public var activity: [BoardActivity]
}

/// An epic with its children, comments and activity (`read_kanban_epic`).
public struct EpicDetail: Sendable, Equatable {
    public var epic: BoardEpic
    /// Its tasks (archived ones included, marked), in display-id order.
    public var children: [BoardTaskRef]
    public var comments: [BoardComment]
    public var activity: [BoardActivity]

    /// Children that are not Completed and not archived: what keeps the epic from closing directly.
    public var openChildren: [BoardTaskRef] { self.children.filter { $0.status != .completed && !$0.isArchived } }
}

/// What a close request (or a move to Completed) did to an epic.
public struct EpicCloseOutcome: Sendable, Equatable {
    /// `approved`: no open children, the epic is Completed; `pending`: waits for the human.
    public var status: CloseApprovalStatus
    public var epic: BoardEpic
    public var openChildren: Int
    /// Display ids of the open children.
    public var childDisplayIDs: [String]
    public var notified: [String]
}

/// One search hit: a task or epic, where it matched, and a preview.
public struct BoardSearchHit: Sendable, Equatable {
    public var kind: BoardItemKind
    public var id: Int64
    public var displayID: String
    public var title: String
    public var status: BoardStatus
    public var priority: BoardPriority
    public var assignee: String?
    public var isArchived: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// Of `display_id`, `title`, `details`, `comments`, in that order.
    public var matchedIn: [String]
    /// About 100 characters before the first match to 140 after it, with `…` where text was cut.
    public var preview: String
    /// The best matching comment, when comments matched.
    public var matchingComment: BoardComment?
    /// bm25-based; lower is better (an exact id match ranks first).
    public var rank: Double

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        kind: BoardItemKind,
        id: Int64,
        displayID: String,
        title: String,
        status: BoardStatus,
        priority: BoardPriority,
        assignee: String? = nil,
        isArchived: Bool,
        createdAt: Date,
        updatedAt: Date,
        matchedIn: [String],
        preview: String,
        matchingComment: BoardComment? = nil,
        rank: Double
    ) {
        self.kind = kind
        self.id = id
        self.displayID = displayID
        self.title = title
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.isArchived = isArchived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.matchedIn = matchedIn
        self.preview = preview
        self.matchingComment = matchingComment
        self.rank = rank
    }
}

/// Search results, best first.
public struct BoardSearchResult: Sendable, Equatable {
    public var hits: [BoardSearchHit]
    /// How many items matched in all.
    public var total: Int
    /// Whether more matched than were returned.
    public var truncated: Bool

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        hits: [BoardSearchHit],
        total: Int,
        truncated: Bool
    ) {
        self.hits = hits
        self.total = total
        self.truncated = truncated
    }
}
