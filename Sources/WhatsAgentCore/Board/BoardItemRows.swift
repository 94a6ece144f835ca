import Foundation
import WhatsAgentAPI

/// A row of the board's tasks, as the board's rules change it field by field (the store reads and writes it whole).
package struct BoardTaskRecord: Codable, Sendable {
    package var id: Int64?
    package var displayId: String
    package var sequence: Int
    package var title: String
    package var details: String
    package var status: String
    package var priority: String
    package var effort: String
    package var assigneeAgentId: String?
    /// NULL: unassigned (`v14-board-task-unassigned`).
    package var assigneeAddress: String?
    package var creatorAgentId: String?
    package var creatorAddress: String
    package var githubUrl: String?
    package var githubNumber: Int?
    package var githubTitle: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var completedAt: Date?
    package var archivedAt: Date?
    package var archivedBy: String?
    package var epicId: Int64?
    /// `v12-board-task-branch`.
    package var branch: String?

    package init(_ task: BoardTask) {
        self.id = task.id == 0 ? nil : task.id
        self.displayId = task.displayID
        self.sequence = task.sequence
        self.title = task.title
        self.details = task.details
        self.status = task.status.rawValue
        self.priority = task.priority.rawValue
        self.effort = task.effort.rawValue
        self.assigneeAgentId = task.assigneeAgentID?.rawValue
        self.assigneeAddress = task.assignee
        self.creatorAgentId = task.creatorAgentID?.rawValue
        self.creatorAddress = task.creator
        self.githubUrl = task.github.url
        self.githubNumber = task.github.number
        self.githubTitle = task.github.title
        self.createdAt = task.createdAt
        self.updatedAt = task.updatedAt
        self.completedAt = task.completedAt
        self.archivedAt = task.archivedAt
        self.archivedBy = task.archivedBy
        self.epicId = task.epicID
        self.branch = task.branch
    }

    package func domain(epicDisplayID: String?, dependsOn: [String]) -> BoardTask {
        var task = BoardTask(
            id: self.id ?? 0,
            displayID: self.displayId,
            sequence: self.sequence,
            title: self.title,
            details: self.details,
            status: BoardStatus(rawValue: self.status) ?? .backlog,
            priority: BoardPriority(rawValue: self.priority) ?? .p2,
            effort: BoardEffort(rawValue: self.effort) ?? .m,
            assignee: self.assigneeAddress,
            assigneeAgentID: self.assigneeAgentId.map(AgentID.init(rawValue:)),
            creator: self.creatorAddress,
            creatorAgentID: self.creatorAgentId.map(AgentID.init(rawValue:)),
            github: GitHubLink(url: self.githubUrl, number: self.githubNumber, title: self.githubTitle),
            epicID: self.epicId,
            epicDisplayID: epicDisplayID,
            dependsOn: dependsOn.sorted(by: BoardTransaction.displayOrder),
            createdAt: self.createdAt,
            updatedAt: self.updatedAt,
            completedAt: self.completedAt,
            archivedAt: self.archivedAt,
            archivedBy: self.archivedBy
        )
        task.branch = self.branch
        return task
    }

    package var ref: BoardTaskRef {
        BoardTaskRef(
            id: self.id ?? 0,
            displayID: self.displayId,
            title: self.title,
            status: BoardStatus(rawValue: self.status) ?? .backlog,
            assignee: self.assigneeAddress,
            isArchived: self.archivedAt != nil
        )
    }
}

/// A row of the board's epics (see ``BoardTaskRecord``).
package struct BoardEpicRecord: Codable, Sendable {
    package var id: Int64?
    package var displayId: String
    package var sequence: Int
    package var title: String
    package var details: String
    package var status: String
    package var priority: String
    package var effort: String
    package var assigneeAgentId: String?
    /// Never NULL for epics (the column is NOT NULL; epics always have an assignee); optional to share
    /// ``BoardItemRecord`` with tasks.
    package var assigneeAddress: String?
    package var creatorAgentId: String?
    package var creatorAddress: String
    package var githubUrl: String?
    package var githubNumber: Int?
    package var githubTitle: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var completedAt: Date?
    package var archivedAt: Date?
    package var archivedBy: String?
    package var closeApproval: String
    package var closeRequestedAt: Date?
    package var closeRequestedBy: String?
    package var closeRequestedByAgentId: String?
    package var closeApprovedAt: Date?
    package var closeApprovedBy: String?

    package init(_ epic: BoardEpic) {
        self.id = epic.id == 0 ? nil : epic.id
        self.displayId = epic.displayID
        self.sequence = epic.sequence
        self.title = epic.title
        self.details = epic.details
        self.status = epic.status.rawValue
        self.priority = epic.priority.rawValue
        self.effort = epic.effort.rawValue
        self.assigneeAgentId = epic.assigneeAgentID?.rawValue
        self.assigneeAddress = epic.assignee
        self.creatorAgentId = epic.creatorAgentID?.rawValue
        self.creatorAddress = epic.creator
        self.githubUrl = epic.github.url
        self.githubNumber = epic.github.number
        self.githubTitle = epic.github.title
        self.createdAt = epic.createdAt
        self.updatedAt = epic.updatedAt
        self.completedAt = epic.completedAt
        self.archivedAt = epic.archivedAt
        self.archivedBy = epic.archivedBy
        self.closeApproval = epic.closeApproval.status.rawValue
        self.closeRequestedAt = epic.closeApproval.requestedAt
        self.closeRequestedBy = epic.closeApproval.requestedBy
        self.closeRequestedByAgentId = epic.closeApproval.requestedByAgentID?.rawValue
        self.closeApprovedAt = epic.closeApproval.approvedAt
        self.closeApprovedBy = epic.closeApproval.approvedBy
    }

    package var domain: BoardEpic {
        BoardEpic(
            id: self.id ?? 0,
            displayID: self.displayId,
            sequence: self.sequence,
            title: self.title,
            details: self.details,
            status: BoardStatus(rawValue: self.status) ?? .backlog,
            priority: BoardPriority(rawValue: self.priority) ?? .p2,
            effort: BoardEffort(rawValue: self.effort) ?? .m,
            assignee: self.assigneeAddress ?? "",
            assigneeAgentID: self.assigneeAgentId.map(AgentID.init(rawValue:)),
            creator: self.creatorAddress,
            creatorAgentID: self.creatorAgentId.map(AgentID.init(rawValue:)),
            github: GitHubLink(url: self.githubUrl, number: self.githubNumber, title: self.githubTitle),
            closeApproval: EpicCloseApproval(
                status: CloseApprovalStatus(rawValue: self.closeApproval) ?? .none,
                requestedAt: self.closeRequestedAt,
                requestedBy: self.closeRequestedBy,
                requestedByAgentID: self.closeRequestedByAgentId.map(AgentID.init(rawValue:)),
                approvedAt: self.closeApprovedAt,
                approvedBy: self.closeApprovedBy
            ),
            createdAt: self.createdAt,
            updatedAt: self.updatedAt,
            completedAt: self.completedAt,
            archivedAt: self.archivedAt,
            archivedBy: self.archivedBy
        )
    }
}

/// What a task row and an epic row share: the fields and lookups the kind-independent board flows (comment,
/// archive, the common patch fields, RBAC targets, notification recipients) work on.
package protocol BoardItemRecord: Sendable {
    /// The domain value the service returns for this row.
    associatedtype Item: Sendable

    static var kind: BoardItemKind { get }
    var id: Int64? { get }
    var displayId: String { get }
    var title: String { get set }
    var details: String { get set }
    var status: String { get set }
    var priority: String { get set }
    var effort: String { get set }
    var assigneeAgentId: String? { get set }
    /// nil: unassigned (tasks only).
    var assigneeAddress: String? { get set }
    var creatorAgentId: String? { get }
    var creatorAddress: String { get }
    var githubUrl: String? { get set }
    var githubNumber: Int? { get set }
    var githubTitle: String? { get set }
    var updatedAt: Date { get set }
    var archivedAt: Date? { get set }
    var archivedBy: String? { get set }

    /// The row a display id or row id names, or nil.
    static func find(_ reference: String, _ tx: BoardTransaction) throws -> Self?
    /// The row a display id or row id names; `not_found` when there is none.
    static func require(_ reference: String, _ tx: BoardTransaction) throws -> Self
    /// The domain value of this row.
    func item(_ tx: BoardTransaction) throws -> Item
    /// Writes this row back (it exists).
    func update(_ tx: BoardTransaction) throws
}

extension BoardTaskRecord: BoardItemRecord {
    package static var kind: BoardItemKind { .task }
    package static func find(_ reference: String, _ tx: BoardTransaction) throws -> Self? { try tx.findTask(reference) }
    package static func require(_ reference: String, _ tx: BoardTransaction) throws -> Self { try tx.requireTask(reference) }
    package func item(_ tx: BoardTransaction) throws -> BoardTask { try tx.task(self) }
    package func update(_ tx: BoardTransaction) throws { try tx.update(self) }
}

extension BoardEpicRecord: BoardItemRecord {
    package static var kind: BoardItemKind { .epic }
    package static func find(_ reference: String, _ tx: BoardTransaction) throws -> Self? { try tx.findEpic(reference) }
    package static func require(_ reference: String, _ tx: BoardTransaction) throws -> Self { try tx.requireEpic(reference) }
    package func item(_ tx: BoardTransaction) throws -> BoardEpic { self.domain }
    package func update(_ tx: BoardTransaction) throws { try tx.update(self) }
}
