import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The board's rows as PostgreSQL stores them: the columns each read selects and how a row becomes the core's record.
enum PostgresBoardRecords {
    static let taskColumns = """
        id, display_id, sequence, title, details, status, priority, effort, assignee_agent_id, assignee_address, creator_agent_id,
        creator_address, github_url, github_number, github_title, epic_id, branch, created_at, updated_at, completed_at, archived_at,
        archived_by
        """

    static let epicColumns = """
        id, display_id, sequence, title, details, status, priority, effort, assignee_agent_id, assignee_address, creator_agent_id,
        creator_address, github_url, github_number, github_title, created_at, updated_at, completed_at, archived_at, archived_by,
        close_approval, close_requested_at, close_requested_by, close_requested_by_agent_id, close_approved_at, close_approved_by
        """

    static let commentColumns = "id, item_kind, item_id, author_agent_id, author_address, type, body, created_at"

    static let activityColumns = "id, item_kind, item_id, actor_agent_id, actor_address, action, field, before_json, after_json, created_at"

    static func task(_ row: PostgresRandomAccessRow) throws -> BoardTaskRecord {
        var task = BoardTask(
            id: try row.value("id", as: Int64.self),
            displayID: try row.value("display_id"),
            sequence: try row.value("sequence"),
            title: try row.value("title"),
            details: try row.value("details"),
            status: BoardStatus(rawValue: try row.value("status")) ?? .backlog,
            priority: BoardPriority(rawValue: try row.value("priority")) ?? .p2,
            effort: BoardEffort(rawValue: try row.value("effort")) ?? .m,
            assignee: try row.value("assignee_address"),
            assigneeAgentID: try row.value("assignee_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            creator: try row.value("creator_address"),
            creatorAgentID: try row.value("creator_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            github: GitHubLink(url: try row.value("github_url"), number: try row.value("github_number"), title: try row.value("github_title")),
            epicID: try row.value("epic_id"),
            epicDisplayID: nil,
            dependsOn: [],
            createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"),
            completedAt: try row.value("completed_at"),
            archivedAt: try row.value("archived_at"),
            archivedBy: try row.value("archived_by")
        )
        task.branch = try row.value("branch")
        return BoardTaskRecord(task)
    }

    static func epic(_ row: PostgresRandomAccessRow) throws -> BoardEpicRecord {
        BoardEpicRecord(
            BoardEpic(
                id: try row.value("id", as: Int64.self),
                displayID: try row.value("display_id"),
                sequence: try row.value("sequence"),
                title: try row.value("title"),
                details: try row.value("details"),
                status: BoardStatus(rawValue: try row.value("status")) ?? .backlog,
                priority: BoardPriority(rawValue: try row.value("priority")) ?? .p2,
                effort: BoardEffort(rawValue: try row.value("effort")) ?? .m,
                assignee: try row.value("assignee_address"),
                assigneeAgentID: try row.value("assignee_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
                creator: try row.value("creator_address"),
                creatorAgentID: try row.value("creator_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
                github: GitHubLink(url: try row.value("github_url"), number: try row.value("github_number"), title: try row.value("github_title")),
                closeApproval: EpicCloseApproval(
                    status: CloseApprovalStatus(rawValue: try row.value("close_approval")) ?? .none,
                    requestedAt: try row.value("close_requested_at"),
                    requestedBy: try row.value("close_requested_by"),
                    requestedByAgentID: try row.value("close_requested_by_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
                    approvedAt: try row.value("close_approved_at"),
                    approvedBy: try row.value("close_approved_by")
                ),
                createdAt: try row.value("created_at"),
                updatedAt: try row.value("updated_at"),
                completedAt: try row.value("completed_at"),
                archivedAt: try row.value("archived_at"),
                archivedBy: try row.value("archived_by")
            )
        )
    }

    /// A comment row; `displayID` names its item (the row holds the item's id only).
    static func comment(_ row: PostgresRandomAccessRow, displayID: String) throws -> BoardComment {
        BoardComment(
            id: try row.value("id"),
            itemKind: BoardItemKind(rawValue: try row.value("item_kind")) ?? .task,
            itemID: try row.value("item_id"),
            itemDisplayID: displayID,
            author: try row.value("author_address"),
            authorAgentID: try row.value("author_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            type: CommentType(rawValue: try row.value("type")) ?? .note,
            body: try row.value("body"),
            createdAt: try row.value("created_at")
        )
    }

    static func activity(_ row: PostgresRandomAccessRow, displayID: String) throws -> BoardActivity {
        BoardActivity(
            id: try row.value("id"),
            itemKind: BoardItemKind(rawValue: try row.value("item_kind")) ?? .task,
            itemID: try row.value("item_id"),
            itemDisplayID: displayID,
            actor: try row.value("actor_address"),
            actorAgentID: try row.value("actor_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            action: BoardActivity.Action(rawValue: try row.value("action")) ?? .updated,
            field: try row.value("field"),
            before: try row.value("before_json"),
            after: try row.value("after_json"),
            createdAt: try row.value("created_at")
        )
    }
}
