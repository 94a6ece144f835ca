import WhatsAgentAPI

/// The fields of a new task. Unset fields take the defaults of SPEC §9: status Backlog, priority P2, effort M.
public struct TaskDraft: Sendable, Equatable {
    /// Required, 1…500 characters.
    public var title: String
    /// At most 16,000 characters.
    public var details: String
    public var status: BoardStatus
    public var priority: BoardPriority
    public var effort: BoardEffort
    /// An existing agent, `repo:agent`; nil (or `none`) leaves the task unassigned (issue 18).
    public var assignedTo: String?
    public var github: GitHubLink
    /// The parent epic: display id (`EP-1`), row id, or nil / `none` for no epic. An archived epic is refused.
    public var epic: String?
    /// Display ids (or row ids) of the tasks this one depends on.
    public var dependsOn: [String]

    public init(
        title: String,
        assignedTo: String?,
        details: String = "",
        status: BoardStatus = .backlog,
        priority: BoardPriority = .p2,
        effort: BoardEffort = .m,
        github: GitHubLink = GitHubLink(),
        epic: String? = nil,
        dependsOn: [String] = []
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.github = github
        self.epic = epic
        self.dependsOn = dependsOn
    }
}

/// A field-level change of a task: the API's ``UpdateBoardTaskRequest`` (declared once, there). Nil leaves a field as
/// it is, so two agents editing different fields both land; for the clearable fields (`epicId`, the GitHub fields,
/// `branch`) `.some(nil)` clears, and `epicId: "none"` also unlinks; `assignedTo: none` unassigns (issue 18);
/// `dependsOnTaskIds` replaces the whole list (`[]` removes every dependency).
public typealias TaskPatch = UpdateBoardTaskRequest

extension TaskPatch {
    /// Whether the patch changes nothing.
    public var isEmpty: Bool { self == TaskPatch() }
}

/// The fields of a new epic (defaults as for tasks). Status Completed is refused: epics close through the
/// close-approval workflow.
public struct EpicDraft: Sendable, Equatable {
    public var title: String
    public var details: String
    public var status: BoardStatus
    public var priority: BoardPriority
    public var effort: BoardEffort
    public var assignedTo: String
    public var github: GitHubLink

    public init(
        title: String,
        assignedTo: String,
        details: String = "",
        status: BoardStatus = .backlog,
        priority: BoardPriority = .p2,
        effort: BoardEffort = .m,
        github: GitHubLink = GitHubLink()
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.github = github
    }
}

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
