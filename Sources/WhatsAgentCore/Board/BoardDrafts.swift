import WhatsAgentAPI

/// The fields of a new task: the API's ``CreateBoardTaskRequest`` (declared once, there). Unset fields take the
/// defaults of SPEC §9 (``BoardItemFields``): status Backlog, priority P2, effort M, unassigned (nil or `none`), no
/// epic (`epicId`: display id, row id, or nil / `none`; an archived epic is refused), no dependencies.
public typealias TaskDraft = CreateBoardTaskRequest

/// A field-level change of a task: the API's ``UpdateBoardTaskRequest`` (declared once, there). Nil leaves a field as
/// it is, so two agents editing different fields both land; for the clearable fields (`epicId`, the GitHub fields,
/// `branch`) `.some(nil)` clears, and `epicId: "none"` also unlinks; `assignedTo: none` unassigns (issue 18);
/// `dependsOnTaskIds` replaces the whole list (`[]` removes every dependency).
public typealias TaskPatch = UpdateBoardTaskRequest

extension TaskPatch {
    /// Whether the patch changes nothing.
    public var isEmpty: Bool { self == TaskPatch() }
}

/// The fields of a new epic: the API's ``CreateBoardEpicRequest`` (defaults as for tasks). Status Completed is refused:
/// epics close through the close-approval workflow.
public typealias EpicDraft = CreateBoardEpicRequest

/// A field-level change of an epic: the API's ``UpdateBoardEpicRequest``. Status Completed is refused here (use the
/// status move or a close request).
public typealias EpicPatch = UpdateBoardEpicRequest

extension EpicPatch {
    public var isEmpty: Bool { self == EpicPatch() }
}

/// Filters of a listing. Every filter is optional; archived items are left out unless asked for.
public struct BoardFilter: Sendable, Equatable {
    public var status: BoardStatus?
    /// `repo:agent` (case-insensitive); tasks only: `none` for unassigned tasks.
    public var assignedTo: String?
    /// `repo:agent` or `human-web`.
    public var createdBy: String?
    public var priority: BoardPriority?
    /// Tasks only: an epic's display or row id, or `none` for tasks without an epic.
    public var epic: String?
    public var includeArchived: Bool
    /// 1…1,000 (default 200).
    public var limit: Int

    public init(
        status: BoardStatus? = nil,
        assignedTo: String? = nil,
        createdBy: String? = nil,
        priority: BoardPriority? = nil,
        epic: String? = nil,
        includeArchived: Bool = false,
        limit: Int = BoardLimits.defaultListLimit
    ) {
        self.status = status
        self.assignedTo = assignedTo
        self.createdBy = createdBy
        self.priority = priority
        self.epic = epic
        self.includeArchived = includeArchived
        self.limit = limit
    }
}

/// A full-text search of tasks or epics (reference §13.5).
public struct BoardSearchQuery: Sendable, Equatable {
    /// 2…200 characters, matched as a quoted prefix phrase, ignoring case and diacritics.
    public var text: String
    public var status: BoardStatus?
    /// `repo:agent` of the assignee; `none`: unassigned tasks.
    public var assignee: String?
    public var includeArchived: Bool
    /// 1…100 (default 20).
    public var limit: Int

    public init(
        _ text: String,
        status: BoardStatus? = nil,
        assignee: String? = nil,
        includeArchived: Bool = false,
        limit: Int = BoardLimits.defaultSearchLimit
    ) {
        self.text = text
        self.status = status
        self.assignee = assignee
        self.includeArchived = includeArchived
        self.limit = limit
    }
}
