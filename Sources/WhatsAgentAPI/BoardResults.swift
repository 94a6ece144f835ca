import Foundation

/// `GET …/board/tasks`.
public struct BoardTaskList: Codable, Sendable, Equatable {
    public var tasks: [BoardTaskResponse]

    public init(tasks: [BoardTaskResponse]) {
        self.tasks = tasks
    }
}

/// `GET …/board/epics`.
public struct BoardEpicList: Codable, Sendable, Equatable {
    public var epics: [BoardEpicResponse]

    public init(epics: [BoardEpicResponse]) {
        self.epics = epics
    }
}

/// A task with its dependencies, dependents, comments and activity (oldest first).
public struct BoardTaskDetail: Codable, Sendable, Equatable {
    public var task: BoardTaskResponse
    public var dependencies: [BoardTaskRefResponse]
    public var dependedBy: [BoardTaskRefResponse]
    public var comments: [BoardCommentResponse]
    public var activity: [BoardActivityResponse]

    public init(
        task: BoardTaskResponse,
        dependencies: [BoardTaskRefResponse],
        dependedBy: [BoardTaskRefResponse],
        comments: [BoardCommentResponse],
        activity: [BoardActivityResponse]
    ) {
        self.task = task
        self.dependencies = dependencies
        self.dependedBy = dependedBy
        self.comments = comments
        self.activity = activity
    }
}

/// An epic with its tasks, comments and activity.
public struct BoardEpicDetail: Codable, Sendable, Equatable {
    public var epic: BoardEpicResponse
    public var children: [BoardTaskRefResponse]
    /// Children neither Completed nor archived.
    public var openChildren: Int
    public var comments: [BoardCommentResponse]
    public var activity: [BoardActivityResponse]

    public init(
        epic: BoardEpicResponse,
        children: [BoardTaskRefResponse],
        openChildren: Int,
        comments: [BoardCommentResponse],
        activity: [BoardActivityResponse]
    ) {
        self.epic = epic
        self.children = children
        self.openChildren = openChildren
        self.comments = comments
        self.activity = activity
    }
}

/// What a task change did.
public struct BoardTaskChange: Codable, Sendable, Equatable {
    public var task: BoardTaskResponse
    /// Fields that changed (empty: nothing did).
    public var changedFields: [String]
    /// Non-blocking notes (e.g. started with unfinished dependencies).
    public var warnings: [String]
    /// Agents notified through their inbox.
    public var notified: [String]

    public init(task: BoardTaskResponse, changedFields: [String], warnings: [String], notified: [String]) {
        self.task = task
        self.changedFields = changedFields
        self.warnings = warnings
        self.notified = notified
    }
}

/// The outcome of a close request (or a move to Completed): `approved` (completed at once) or `pending`.
public struct BoardCloseOutcome: Codable, Sendable, Equatable {
    public var status: BoardCloseApprovalStatusValue
    public var openChildren: Int
    public var childDisplayIds: [String]

    public init(status: BoardCloseApprovalStatusValue, openChildren: Int, childDisplayIds: [String]) {
        self.status = status
        self.openChildren = openChildren
        self.childDisplayIds = childDisplayIds
    }
}

/// What an epic change did. `closeApproval` is set when the call entered the close workflow.
public struct BoardEpicChange: Codable, Sendable, Equatable {
    public var epic: BoardEpicResponse
    public var changedFields: [String]
    public var warnings: [String]
    public var notified: [String]
    public var closeApproval: BoardCloseOutcome?

    public init(epic: BoardEpicResponse, changedFields: [String], warnings: [String], notified: [String], closeApproval: BoardCloseOutcome?) {
        self.epic = epic
        self.changedFields = changedFields
        self.warnings = warnings
        self.notified = notified
        self.closeApproval = closeApproval
    }
}

/// A posted comment.
public struct BoardCommentChange: Codable, Sendable, Equatable {
    public var comment: BoardCommentResponse
    public var notified: [String]

    public init(comment: BoardCommentResponse, notified: [String]) {
        self.comment = comment
        self.notified = notified
    }
}

/// One search hit.
public struct BoardSearchHitResponse: Codable, Sendable, Equatable {
    public var kind: BoardItemKindValue
    public var id: Int64
    public var displayId: String
    public var title: String
    public var status: BoardStatusValue
    public var priority: BoardPriorityValue
    /// nil for an unassigned task.
    public var assignee: String?
    public var archived: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// Of `display_id`, `title`, `details`, `comments`.
    public var matchedIn: [String]
    /// About 100 characters before the first match to 140 after it.
    public var preview: String
    public var matchingComment: BoardCommentResponse?
    /// Lower is better.
    public var rank: Double

    public init(
        kind: BoardItemKindValue,
        id: Int64,
        displayId: String,
        title: String,
        status: BoardStatusValue,
        priority: BoardPriorityValue,
        assignee: String?,
        archived: Bool,
        createdAt: Date,
        updatedAt: Date,
        matchedIn: [String],
        preview: String,
        matchingComment: BoardCommentResponse?,
        rank: Double
    ) {
        self.kind = kind
        self.id = id
        self.displayId = displayId
        self.title = title
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.archived = archived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.matchedIn = matchedIn
        self.preview = preview
        self.matchingComment = matchingComment
        self.rank = rank
    }
}

/// Search results, best first.
public struct BoardSearchResponse: Codable, Sendable, Equatable {
    public var results: [BoardSearchHitResponse]
    public var total: Int
    /// More matched than were returned.
    public var truncated: Bool

    public init(results: [BoardSearchHitResponse], total: Int, truncated: Bool) {
        self.results = results
        self.total = total
        self.truncated = truncated
    }
}

/// What an import restored.
public struct BoardImportResult: Codable, Sendable, Equatable {
    public var tasks: Int
    public var epics: Int
    public var comments: Int
    public var dependencies: Int
    public var activity: Int

    public init(tasks: Int, epics: Int, comments: Int, dependencies: Int, activity: Int) {
        self.tasks = tasks
        self.epics = epics
        self.comments = comments
        self.dependencies = dependencies
        self.activity = activity
    }
}

/// The whole board (`whatsagent board export --format json`); re-importable into a workspace whose board is empty
/// with an exact round trip. Agents are named by address and matched by address on import.
public struct BoardExport: Codable, Sendable, Equatable {
    /// Format version (1).
    public var version: Int
    public var taskPrefix: String
    public var epicPrefix: String
    /// The last sequence handed out per kind.
    public var taskSequence: Int
    public var epicSequence: Int
    public var tasks: [BoardTaskResponse]
    public var epics: [BoardEpicResponse]
    public var comments: [BoardCommentResponse]
    public var dependencies: [BoardDependencyResponse]
    public var activity: [BoardActivityResponse]

    public init(
        version: Int,
        taskPrefix: String,
        epicPrefix: String,
        taskSequence: Int,
        epicSequence: Int,
        tasks: [BoardTaskResponse],
        epics: [BoardEpicResponse],
        comments: [BoardCommentResponse],
        dependencies: [BoardDependencyResponse],
        activity: [BoardActivityResponse]
    ) {
        self.version = version
        self.taskPrefix = taskPrefix
        self.epicPrefix = epicPrefix
        self.taskSequence = taskSequence
        self.epicSequence = epicSequence
        self.tasks = tasks
        self.epics = epics
        self.comments = comments
        self.dependencies = dependencies
        self.activity = activity
    }
}
