import WhatsAgentAPI

/// The kinds of RBAC grant (SPEC §10). The raw values are stored in `roleGrant.kind` and typed by humans: never
/// renamed.
public enum GrantKind: String, Sendable, CaseIterable, Codable {
    case toolFamily = "tool_family"
    case kanbanAction = "kanban_action"
    case commentType = "comment_type"
    case channelAction = "channel_action"
    case audit = "audit_grant"
    case meta

    /// The values a grant of this kind may hold, in display order.
    public var values: [String] {
        switch self {
        case .toolFamily: ToolFamily.allCases.map(\.rawValue)
        case .kanbanAction: KanbanAction.allCases.map(\.rawValue)
        case .commentType: CommentType.allCases.map(\.rawValue)
        case .channelAction: ChannelAction.allCases.map(\.rawValue)
        case .audit: AuditGrant.allCases.map(\.rawValue)
        case .meta: MetaGrant.allCases.map(\.rawValue)
        }
    }

    /// Only board actions carry a scope.
    public var isScoped: Bool { self == .kanbanAction }
}

/// The narrow scopes of a board-action grant. A grant without a scope (`nil`) is any-scope: it covers every row.
public enum GrantScope: String, Sendable, CaseIterable, Codable {
    /// Rows the caller is assigned to.
    case ownAssignment = "own_assignment"
    /// Rows the caller created.
    case createdBySelf = "created_by_self"

    /// The spelling of an any-scope grant on input (`--scope any`).
    public static let anyKeyword = "any"
}
