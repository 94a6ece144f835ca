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

/// A field-level change of a task: nil leaves a field as it is, so two agents editing different fields both land.
/// For the clearable fields a double optional says "clear": `.some(nil)`.
public struct TaskPatch: Sendable, Equatable {
    public var title: String?
    public var details: String?
    public var status: BoardStatus?
    public var priority: BoardPriority?
    public var effort: BoardEffort?
    /// `repo:agent` reassigns; `none` unassigns (issue 18).
    public var assignedTo: String?
    /// `.some(nil)` or `.some("none")` unlinks the epic.
    public var epic: String??
    /// A complete replacement list; `[]` removes every dependency.
    public var dependsOn: [String]?
    /// `.some(nil)` clears.
    public var githubURL: String??
    public var githubNumber: Int??
    public var githubTitle: String??
    /// The git branch the task is done on (issue 23); `.some(nil)` or an empty string clears.
    public var branch: String??

    public init(
        title: String? = nil,
        details: String? = nil,
        status: BoardStatus? = nil,
        priority: BoardPriority? = nil,
        effort: BoardEffort? = nil,
        assignedTo: String? = nil,
        epic: String?? = nil,
        dependsOn: [String]? = nil,
        githubURL: String?? = nil,
        githubNumber: Int?? = nil,
        githubTitle: String?? = nil,
        branch: String?? = nil
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.branch = branch
        self.epic = epic
        self.dependsOn = dependsOn
        self.githubURL = githubURL
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
    }

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

/// A field-level change of an epic. Status Completed is refused here (use the status move or a close request).
public struct EpicPatch: Sendable, Equatable {
    public var title: String?
    public var details: String?
    public var status: BoardStatus?
    public var priority: BoardPriority?
    public var effort: BoardEffort?
    public var assignedTo: String?
    public var githubURL: String??
    public var githubNumber: Int??
    public var githubTitle: String??

    public init(
        title: String? = nil,
        details: String? = nil,
        status: BoardStatus? = nil,
        priority: BoardPriority? = nil,
        effort: BoardEffort? = nil,
        assignedTo: String? = nil,
        githubURL: String?? = nil,
        githubNumber: Int?? = nil,
        githubTitle: String?? = nil
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.githubURL = githubURL
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
    }

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
