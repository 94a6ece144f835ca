import Foundation
import WhatsAgentAPI

/// Who is acting on the board: the human (CLI, web; never subject to RBAC) or an agent session (checked against
/// its grants, with the scope decided by its relation to the row).
public enum BoardActor: Sendable {
    case human
    /// An agent, with the RBAC check of the tool it called — made by the agent tool dispatcher, which makes the check
    /// of every tool (issue 20); the board runs it inside the change's transaction, with the facts of the row.
    case agent(AgentIdentity, ToolCheck)

    /// `human-web` or the agent's `repo:agent`.
    public var address: String {
        switch self {
        case .human: MessageSender.humanAddress
        case .agent(let identity, _): identity.agent.address.description
        }
    }

    public var agentID: AgentID? {
        if case .agent(let identity, _) = self { return identity.agent.id }
        return nil
    }
}

/// A link from an item to a GitHub issue or pull request. Every part is optional.
public struct GitHubLink: Sendable, Equatable, Codable {
    /// `http(s)://…`, at most 2,000 characters.
    public var url: String?
    /// Issue or pull request number, ≥ 1.
    public var number: Int?
    /// At most 500 characters.
    public var title: String?

    public init(url: String? = nil, number: Int? = nil, title: String? = nil) {
        self.url = url
        self.number = number
        self.title = title
    }
}

/// A task of the board (SPEC §9).
public struct BoardTask: Sendable, Equatable, Codable {
    /// Row id; lookups accept it as well as the display id.
    public var id: Int64
    /// `<PREFIX>-<sequence>` zero-padded to 3 digits (`WA-007`), fixed at creation.
    public var displayID: String
    /// The number after the prefix; unique among tasks.
    public var sequence: Int
    public var title: String
    public var details: String
    public var status: BoardStatus
    public var priority: BoardPriority
    public var effort: BoardEffort
    /// `repo:agent` of the assignee (a snapshot: it stays readable after the agent is removed); nil: unassigned
    /// (issue 18).
    public var assignee: String?
    public var assigneeAgentID: AgentID?
    /// `repo:agent` or `human-web`.
    public var creator: String
    public var creatorAgentID: AgentID?
    public var github: GitHubLink
    /// The parent epic's row id and display id.
    public var epicID: Int64?
    public var epicDisplayID: String?
    /// Display ids of the tasks this one depends on, in display-id order.
    public var dependsOn: [String]
    public var createdAt: Date
    public var updatedAt: Date
    /// Set when the status becomes Completed, cleared when it leaves Completed.
    public var completedAt: Date?
    public var archivedAt: Date?
    /// Who archived it (`repo:agent` or `human-web`).
    public var archivedBy: String?
    /// The git branch the task is done on (issue 23), e.g. the assignee's worktree branch `wa/<agent>`.
    public var branch: String?

    public var isArchived: Bool { self.archivedAt != nil }

    public init(
        id: Int64,
        displayID: String,
        sequence: Int,
        title: String,
        details: String,
        status: BoardStatus,
        priority: BoardPriority,
        effort: BoardEffort,
        assignee: String?,
        assigneeAgentID: AgentID?,
        creator: String,
        creatorAgentID: AgentID?,
        github: GitHubLink,
        epicID: Int64?,
        epicDisplayID: String?,
        dependsOn: [String],
        createdAt: Date,
        updatedAt: Date,
        completedAt: Date?,
        archivedAt: Date?,
        archivedBy: String?
    ) {
        self.id = id
        self.displayID = displayID
        self.sequence = sequence
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignee = assignee
        self.assigneeAgentID = assigneeAgentID
        self.creator = creator
        self.creatorAgentID = creatorAgentID
        self.github = github
        self.epicID = epicID
        self.epicDisplayID = epicDisplayID
        self.dependsOn = dependsOn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.archivedAt = archivedAt
        self.archivedBy = archivedBy
    }
}

/// The close-approval state of an epic (reference §13.3).
public struct EpicCloseApproval: Sendable, Equatable, Codable {
    public var status: CloseApprovalStatus
    public var requestedAt: Date?
    /// `repo:agent` of the requester.
    public var requestedBy: String?
    public var requestedByAgentID: AgentID?
    public var approvedAt: Date?
    /// Always `human-web`: only the human approves.
    public var approvedBy: String?

    public init(
        status: CloseApprovalStatus = .none,
        requestedAt: Date? = nil,
        requestedBy: String? = nil,
        requestedByAgentID: AgentID? = nil,
        approvedAt: Date? = nil,
        approvedBy: String? = nil
    ) {
        self.status = status
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
        self.requestedByAgentID = requestedByAgentID
        self.approvedAt = approvedAt
        self.approvedBy = approvedBy
    }
}

/// An epic: a task-like item that groups tasks and closes through the approval workflow.
public struct BoardEpic: Sendable, Equatable, Codable {
    public var id: Int64
    /// `<EPIC PREFIX>-<sequence>` (`EP-002`).
    public var displayID: String
    public var sequence: Int
    public var title: String
    public var details: String
    public var status: BoardStatus
    public var priority: BoardPriority
    public var effort: BoardEffort
    public var assignee: String
    public var assigneeAgentID: AgentID?
    public var creator: String
    public var creatorAgentID: AgentID?
    public var github: GitHubLink
    public var closeApproval: EpicCloseApproval
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?
    public var archivedAt: Date?
    public var archivedBy: String?

    public var isArchived: Bool { self.archivedAt != nil }

    public init(
        id: Int64,
        displayID: String,
        sequence: Int,
        title: String,
        details: String,
        status: BoardStatus,
        priority: BoardPriority,
        effort: BoardEffort,
        assignee: String,
        assigneeAgentID: AgentID?,
        creator: String,
        creatorAgentID: AgentID?,
        github: GitHubLink,
        closeApproval: EpicCloseApproval,
        createdAt: Date,
        updatedAt: Date,
        completedAt: Date?,
        archivedAt: Date?,
        archivedBy: String?
    ) {
        self.id = id
        self.displayID = displayID
        self.sequence = sequence
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignee = assignee
        self.assigneeAgentID = assigneeAgentID
        self.creator = creator
        self.creatorAgentID = creatorAgentID
        self.github = github
        self.closeApproval = closeApproval
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.archivedAt = archivedAt
        self.archivedBy = archivedBy
    }
}

/// A short reference to a task (dependencies, children of an epic).
public struct BoardTaskRef: Sendable, Equatable, Codable {
    public var id: Int64
    public var displayID: String
    public var title: String
    public var status: BoardStatus
    public var assignee: String?
    public var isArchived: Bool

    public init(
        id: Int64,
        displayID: String,
        title: String,
        status: BoardStatus,
        assignee: String?,
        isArchived: Bool
    ) {
        self.id = id
        self.displayID = displayID
        self.title = title
        self.status = status
        self.assignee = assignee
        self.isArchived = isArchived
    }
}

/// A comment on a task or an epic. Verdict types are stored like the others.
public struct BoardComment: Sendable, Equatable, Codable {
    public var id: Int64
    public var itemKind: BoardItemKind
    public var itemID: Int64
    public var itemDisplayID: String
    /// `repo:agent` or `human-web`.
    public var author: String
    public var authorAgentID: AgentID?
    public var type: CommentType
    public var body: String
    public var createdAt: Date

    public init(
        id: Int64,
        itemKind: BoardItemKind,
        itemID: Int64,
        itemDisplayID: String,
        author: String,
        authorAgentID: AgentID?,
        type: CommentType,
        body: String,
        createdAt: Date
    ) {
        self.id = id
        self.itemKind = itemKind
        self.itemID = itemID
        self.itemDisplayID = itemDisplayID
        self.author = author
        self.authorAgentID = authorAgentID
        self.type = type
        self.body = body
        self.createdAt = createdAt
    }
}

/// One entry of an item's activity log: who did what, and for field changes the value before and after as JSON.
public struct BoardActivity: Sendable, Equatable, Codable {
    /// What happened. The raw values are stored and shown.
    public enum Action: String, Sendable, CaseIterable, Codable {
        case created
        /// One row per changed field, with `field`, `before` and `after`.
        case updated
        /// `field` is the comment type, `after` the body.
        case commented
        case archived
        case unarchived
        case closeApprovalRequested = "close_approval_requested"
        case closeApprovalCancelled = "close_approval_cancelled"
        case closeApproved = "close_approved"
    }

    public var id: Int64
    public var itemKind: BoardItemKind
    public var itemID: Int64
    public var itemDisplayID: String
    public var actor: String
    public var actorAgentID: AgentID?
    public var action: Action
    /// The field changed (`status`, `assignee`, `dependencies`, …), or the comment type.
    public var field: String?
    /// JSON text of the value before (`"Backlog"`, `null`, `["WA-001"]`).
    public var before: String?
    /// JSON text of the value after.
    public var after: String?
    public var createdAt: Date

    public init(
        id: Int64,
        itemKind: BoardItemKind,
        itemID: Int64,
        itemDisplayID: String,
        actor: String,
        actorAgentID: AgentID?,
        action: Action,
        field: String?,
        before: String?,
        after: String?,
        createdAt: Date
    ) {
        self.id = id
        self.itemKind = itemKind
        self.itemID = itemID
        self.itemDisplayID = itemDisplayID
        self.actor = actor
        self.actorAgentID = actorAgentID
        self.action = action
        self.field = field
        self.before = before
        self.after = after
        self.createdAt = createdAt
    }
}

/// A dependency edge: `task` cannot really start before `dependsOn` is Completed (it is a warning, not a block).
public struct BoardDependency: Sendable, Equatable, Codable {
    public var taskID: Int64
    public var dependsOnTaskID: Int64
    public var createdBy: String
    public var createdAt: Date

    public init(
        taskID: Int64,
        dependsOnTaskID: Int64,
        createdBy: String,
        createdAt: Date
    ) {
        self.taskID = taskID
        self.dependsOnTaskID = dependsOnTaskID
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
