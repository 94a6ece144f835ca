import Foundation

/// A task as the API shows it. Items reference each other by display id (`WA-003`, `EP-001`).
public struct BoardTaskResponse: Codable, Sendable, Equatable {
    /// Row id (lookups accept it as well as the display id).
    public var id: Int64
    /// `WA-003`.
    public var displayId: String
    public var sequence: Int
    public var title: String
    public var details: String
    public var status: BoardStatusValue
    public var priority: BoardPriorityValue
    public var effort: BoardEffortValue
    /// `repo:agent`; nil (absent) when the task is unassigned.
    public var assignee: String?
    /// `repo:agent` or `human-web`.
    public var creator: String
    public var githubUrl: String?
    public var githubNumber: Int?
    public var githubTitle: String?
    /// Display id of the parent epic.
    public var epicId: String?
    /// Display ids of the tasks this one depends on.
    public var dependsOnTaskIds: [String]
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?
    public var archivedAt: Date?
    public var archivedBy: String?
    /// The git branch the task is done on (issue 23).
    public var branch: String?

    public init(
        id: Int64,
        displayId: String,
        sequence: Int,
        title: String,
        details: String,
        status: BoardStatusValue,
        priority: BoardPriorityValue,
        effort: BoardEffortValue,
        assignee: String?,
        creator: String,
        githubUrl: String?,
        githubNumber: Int?,
        githubTitle: String?,
        epicId: String?,
        dependsOnTaskIds: [String],
        createdAt: Date,
        updatedAt: Date,
        completedAt: Date?,
        archivedAt: Date?,
        archivedBy: String?
    ) {
        self.id = id
        self.displayId = displayId
        self.sequence = sequence
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignee = assignee
        self.creator = creator
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
        self.epicId = epicId
        self.dependsOnTaskIds = dependsOnTaskIds
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.archivedAt = archivedAt
        self.archivedBy = archivedBy
    }
}

/// An epic's close-approval state.
public struct BoardCloseApproval: Codable, Sendable, Equatable {
    public var status: BoardCloseApprovalStatusValue
    public var requestedAt: Date?
    public var requestedBy: String?
    public var approvedAt: Date?
    /// `human-web`.
    public var approvedBy: String?

    public init(
        status: BoardCloseApprovalStatusValue,
        requestedAt: Date? = nil,
        requestedBy: String? = nil,
        approvedAt: Date? = nil,
        approvedBy: String? = nil
    ) {
        self.status = status
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
        self.approvedAt = approvedAt
        self.approvedBy = approvedBy
    }
}

/// An epic as the API shows it.
public struct BoardEpicResponse: Codable, Sendable, Equatable {
    public var id: Int64
    /// `EP-001`.
    public var displayId: String
    public var sequence: Int
    public var title: String
    public var details: String
    public var status: BoardStatusValue
    public var priority: BoardPriorityValue
    public var effort: BoardEffortValue
    public var assignee: String
    public var creator: String
    public var githubUrl: String?
    public var githubNumber: Int?
    public var githubTitle: String?
    public var closeApproval: BoardCloseApproval
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?
    public var archivedAt: Date?
    public var archivedBy: String?

    public init(
        id: Int64,
        displayId: String,
        sequence: Int,
        title: String,
        details: String,
        status: BoardStatusValue,
        priority: BoardPriorityValue,
        effort: BoardEffortValue,
        assignee: String,
        creator: String,
        githubUrl: String?,
        githubNumber: Int?,
        githubTitle: String?,
        closeApproval: BoardCloseApproval,
        createdAt: Date,
        updatedAt: Date,
        completedAt: Date?,
        archivedAt: Date?,
        archivedBy: String?
    ) {
        self.id = id
        self.displayId = displayId
        self.sequence = sequence
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignee = assignee
        self.creator = creator
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
        self.closeApproval = closeApproval
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.archivedAt = archivedAt
        self.archivedBy = archivedBy
    }
}

/// A short reference to a task (dependencies, children of an epic).
public struct BoardTaskRefResponse: Codable, Sendable, Equatable {
    public var id: Int64
    public var displayId: String
    public var title: String
    public var status: BoardStatusValue
    /// nil when the task is unassigned.
    public var assignee: String?
    public var archived: Bool

    public init(id: Int64, displayId: String, title: String, status: BoardStatusValue, assignee: String?, archived: Bool) {
        self.id = id
        self.displayId = displayId
        self.title = title
        self.status = status
        self.assignee = assignee
        self.archived = archived
    }
}

/// A comment on a task or epic.
public struct BoardCommentResponse: Codable, Sendable, Equatable {
    public var id: Int64
    public var itemKind: BoardItemKindValue
    /// Display id of the task or epic.
    public var itemId: String
    /// `repo:agent` or `human-web`.
    public var author: String
    public var type: BoardCommentTypeValue
    public var body: String
    public var createdAt: Date

    public init(id: Int64, itemKind: BoardItemKindValue, itemId: String, author: String, type: BoardCommentTypeValue, body: String, createdAt: Date) {
        self.id = id
        self.itemKind = itemKind
        self.itemId = itemId
        self.author = author
        self.type = type
        self.body = body
        self.createdAt = createdAt
    }
}

/// One activity-log entry. `action` is `created`, `updated` (one per field, with `field`, `before`, `after`),
/// `commented`, `archived`, `unarchived`, `close_approval_requested`, `close_approval_cancelled` or `close_approved`.
public struct BoardActivityResponse: Codable, Sendable, Equatable {
    public var id: Int64
    public var itemKind: BoardItemKindValue
    public var itemId: String
    public var actor: String
    public var action: String
    public var field: String?
    /// The value before, as JSON text (`"Backlog"`, `null`, `["WA-001"]`).
    public var before: String?
    /// The value after, as JSON text.
    public var after: String?
    public var createdAt: Date

    public init(
        id: Int64,
        itemKind: BoardItemKindValue,
        itemId: String,
        actor: String,
        action: String,
        field: String?,
        before: String?,
        after: String?,
        createdAt: Date
    ) {
        self.id = id
        self.itemKind = itemKind
        self.itemId = itemId
        self.actor = actor
        self.action = action
        self.field = field
        self.before = before
        self.after = after
        self.createdAt = createdAt
    }
}

/// A dependency edge by display ids.
public struct BoardDependencyResponse: Codable, Sendable, Equatable {
    public var taskId: String
    public var dependsOnTaskId: String
    public var createdBy: String
    public var createdAt: Date

    public init(taskId: String, dependsOnTaskId: String, createdBy: String, createdAt: Date) {
        self.taskId = taskId
        self.dependsOnTaskId = dependsOnTaskId
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
