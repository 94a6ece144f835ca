extension Requirement {
    /// What a tool needs beyond its family.
    enum Action: Sendable {
        case none
        case channel(ChannelAction)
        case kanban(KanbanAction)
        /// A comment action plus the `comment_type` grant of the comment's type.
        case comment(KanbanAction)
    }

    /// Every agent tool RBAC knows (SPEC §8), with its family and action; in catalogue order.
    static let table: [(tool: String, family: ToolFamily?, action: Action)] = [
        // Identity
        ("whoami", nil, .none),
        ("list_peers", .messaging, .none),
        ("set_summary", .summary, .none),
        // Direct messages
        ("send_message", .messaging, .none),
        ("broadcast_message", .messaging, .channel(.broadcastMessage)),
        ("check_messages", nil, .none),
        ("search_direct_messages", .messaging, .none),
        // Channels
        ("list_channels", .channelRead, .none),
        ("join_channel", .channelRead, .none),
        ("leave_channel", .channelRead, .none),
        ("create_channel", .channelWrite, .channel(.createChannel)),
        ("post_channel_message", .channelWrite, .channel(.postChannelMessage)),
        ("reply_channel_thread", .channelWrite, .channel(.replyChannelThread)),
        ("read_channel_messages", .channelRead, .channel(.readChannelMessages)),
        ("search_channel_messages", .channelRead, .channel(.searchChannelMessages)),
        // Tasks
        ("create_kanban_task", .kanbanAdmin, .kanban(.createTask)),
        ("read_kanban_task", .kanbanRead, .none),
        ("list_kanban_tasks", .kanbanRead, .none),
        ("update_kanban_task", .kanbanAdmin, .kanban(.updateTask)),
        ("update_kanban_task_status", .kanbanStatus, .kanban(.updateTaskStatus)),
        ("comment_kanban_task", .kanbanComment, .comment(.commentTask)),
        ("archive_kanban_task", .kanbanAdmin, .kanban(.archiveTask)),
        ("search_kanban_tasks", .kanbanRead, .none),
        // Epics
        ("create_kanban_epic", .kanbanAdmin, .kanban(.createEpic)),
        ("read_kanban_epic", .kanbanRead, .none),
        ("list_kanban_epics", .kanbanRead, .none),
        ("update_kanban_epic", .kanbanAdmin, .kanban(.updateEpic)),
        ("update_kanban_epic_status", .kanbanStatus, .kanban(.updateEpicStatus)),
        ("comment_kanban_epic", .kanbanComment, .comment(.commentEpic)),
        ("archive_kanban_epic", .kanbanAdmin, .kanban(.archiveEpic)),
        ("search_kanban_epics", .kanbanRead, .none),
        ("request_kanban_epic_close", .kanbanStatus, .kanban(.requestEpicClose)),
        ("cancel_kanban_epic_close", .kanbanStatus, .kanban(.cancelEpicClose)),
    ]

    /// The names of every tool RBAC knows, in catalogue order.
    public static let knownTools: [String] = table.map(\.tool)

    /// Whether RBAC has a requirement for `tool`.
    public static func isKnown(_ tool: String) -> Bool { table.contains { $0.tool == tool } }

    /// The family needed to see `tool`: `.some(nil)` for an ungated tool, nil for a tool RBAC does not know.
    static func family(ofTool tool: String) -> ToolFamily?? {
        table.first { $0.tool == tool }.map(\.family)
    }

    /// What a call of `tool` needs, given `facts`; nil for a tool RBAC does not know.
    public static func forTool(_ tool: String, facts: AuthorizationFacts = .none) -> Requirement? {
        guard let entry = table.first(where: { $0.tool == tool }) else { return nil }
        var checks: [RequiredGrant] = []
        if let family = entry.family {
            checks.append(RequiredGrant(.toolFamily, family.rawValue))
        }
        switch entry.action {
        case .none:
            break
        case .channel(let action):
            checks.append(RequiredGrant(.channelAction, action.rawValue))
        case .kanban(let action):
            checks.append(RequiredGrant(.kanbanAction, action.rawValue, scopeRule: self.scopeRule(action, facts.target)))
        case .comment(let action):
            checks.append(RequiredGrant(.kanbanAction, action.rawValue, scopeRule: self.scopeRule(action, facts.target)))
            checks.append(RequiredGrant(.commentType, (facts.commentType ?? .note).rawValue))
        }
        return Requirement(tool: tool, checks: checks)
    }

    /// The scopes that satisfy a board action, from the caller's relation to the target row: assignee →
    /// `own_assignment`, creator → `created_by_self`, neither → any-scope only; a missing row ignores scope.
    static func scopeRule(_ action: KanbanAction, _ target: AuthorizationFacts.Target) -> RequiredGrant.ScopeRule {
        guard action.hasDynamicScope else { return .anyScopeOnly }
        switch target {
        case .unspecified:
            return .anyScopeOnly
        case .notFound:
            return .ignoresScope
        case .found(let isAssignee, let isCreator):
            let scopes = (isAssignee ? [GrantScope.ownAssignment] : []) + (isCreator ? [GrantScope.createdBySelf] : [])
            return scopes.isEmpty ? .anyScopeOnly : .anyScopeOr(scopes)
        }
    }
}
