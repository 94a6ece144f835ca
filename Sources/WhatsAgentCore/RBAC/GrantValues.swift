/// Tool families: the coarse grants that decide which tools an agent sees and may call (SPEC §8, §10).
///
/// The raw values are stored in `roleGrant.value` and typed by humans (`whatsagent role grant`): never renamed.
public enum ToolFamily: String, Sendable, CaseIterable, Codable {
    case messaging
    case channelRead = "channel-read"
    case channelWrite = "channel-write"
    case summary
    case kanbanRead = "kanban-read"
    case kanbanComment = "kanban-comment"
    case kanbanStatus = "kanban-status"
    case kanbanAdmin = "kanban-admin"
}

/// Board actions; a grant of one carries a scope (any, `own_assignment`, `created_by_self`).
public enum KanbanAction: String, Sendable, CaseIterable, Codable {
    case createTask = "create_task"
    case createEpic = "create_epic"
    case updateTask = "update_task"
    case updateEpic = "update_epic"
    case archiveTask = "archive_task"
    case archiveEpic = "archive_epic"
    case updateTaskStatus = "update_task_status"
    case updateEpicStatus = "update_epic_status"
    case requestEpicClose = "request_epic_close"
    case cancelEpicClose = "cancel_epic_close"
    case commentTask = "comment_task"
    case commentEpic = "comment_epic"

    /// Whether the scope is resolved against the target row (assignee, creator). Creating has no target row, so a
    /// create grant must be any-scope.
    public var hasDynamicScope: Bool {
        switch self {
        case .createTask, .createEpic: false
        default: true
        }
    }
}

/// Channel and broadcast actions. The values are the names of the tools they gate.
public enum ChannelAction: String, Sendable, CaseIterable, Codable {
    case postChannelMessage = "post_channel_message"
    case replyChannelThread = "reply_channel_thread"
    case readChannelMessages = "read_channel_messages"
    case searchChannelMessages = "search_channel_messages"
    case broadcastMessage = "broadcast_message"
    case createChannel = "create_channel"

    /// Short spellings accepted on input (`whatsagent role grant R channel_action post`).
    static let aliases: [String: ChannelAction] = [
        "post": .postChannelMessage,
        "reply": .replyChannelThread,
        "read": .readChannelMessages,
        "search": .searchChannelMessages,
        "broadcast": .broadcastMessage,
    ]
}

/// Audit-log grants: reading the log and administering it (export).
public enum AuditGrant: String, Sendable, CaseIterable, Codable {
    case auditRead = "audit_read"
    case auditAdmin = "audit_admin"
}

/// Grants about the agent itself rather than a tool.
public enum MetaGrant: String, Sendable, CaseIterable, Codable {
    /// Marks an agent that stands in for the human operator. Nothing is gated on it yet.
    case isOperatorSurrogate = "is_operator_surrogate"
}
