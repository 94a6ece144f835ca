import WhatsAgentAPI

extension Requirement {
    /// What a tool needs beyond its family.
    enum Action: Sendable {
        case none
        case channel(ChannelAction)
        case kanban(KanbanAction)
        /// A comment action plus the `comment_type` grant of the comment's type.
        case comment(KanbanAction)

        /// The action of a declaration (`channel_action:create_channel`, `kanban_action:comment_task`); nil when it
        /// does not parse.
        init?(declared text: String?) {
            guard let text else {
                self = .none
                return
            }
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case GrantKind.channelAction.rawValue:
                guard let action = ChannelAction(rawValue: parts[1]) else { return nil }
                self = .channel(action)
            case GrantKind.kanbanAction.rawValue:
                guard let action = KanbanAction(rawValue: parts[1]) else { return nil }
                self = action == .commentTask || action == .commentEpic ? .comment(action) : .kanban(action)
            default:
                return nil
            }
        }
    }

    /// Every agent tool RBAC knows (SPEC §8), with its family and action, in catalogue order: derived from the tools'
    /// one declaration (``AgentTools/all`` in WhatsAgentAPI). A declaration whose grant does not parse is left out, so
    /// its tool is refused as unknown (fail closed); `RequirementTests` keeps every declaration parsing.
    static let table: [(tool: String, family: ToolFamily?, action: Action)] = AgentTools.all.compactMap { definition in
        var family: ToolFamily?
        if let name = definition.family {
            guard let parsed = ToolFamily(rawValue: name) else { return nil }
            family = parsed
        }
        guard let action = Action(declared: definition.action) else { return nil }
        return (definition.name, family, action)
    }

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
