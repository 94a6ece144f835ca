import WhatsAgentAPI

extension RoleDefinition {
    /// The six built-in roles and their seeded grants: the matrix of whatsagent-behaviour.md §14.3, plus
    /// `channel_action:create_channel` for pm (SPEC §7.3: channels are created by the pm role).
    ///
    /// The `v4-create-rbac` migration seeds the same grants from string literals (migrations never use app types);
    /// a test keeps the two equal. Later edits to built-in roles live in the database, not here.
    public static let builtins: [RoleDefinition] = [pm, engineer, reviewer, researcher, restricted, `operator`]

    /// The built-in role named `name`, if any.
    public static func builtin(named name: String) -> RoleDefinition? {
        self.builtins.first { $0.name == name.lowercased() }
    }

    private static let pm = RoleDefinition(
        name: "pm",
        description: "Project manager: plans and edits the board, moves any item, creates channels, broadcasts, gives verdicts, reads the audit log.",
        isBuiltin: true,
        grants: ToolFamily.allCases.map(Grant.family)
            + KanbanAction.allCases.map { Grant.kanban($0) }
            + CommentType.allCases.map(Grant.comment)
            + ChannelAction.allCases.map(Grant.channel)
            + AuditGrant.allCases.map(Grant.audit)
    )

    private static let engineer = RoleDefinition(
        name: "engineer",
        description: "Works on its own tasks: messages, channels, progress/note/blocker comments, status moves of what it is assigned.",
        isBuiltin: true,
        grants: [.messaging, .channelRead, .channelWrite, .summary, .kanbanRead, .kanbanComment, .kanbanStatus].map(Grant.family)
            + [.updateTaskStatus, .updateEpicStatus, .requestEpicClose, .cancelEpicClose, .commentTask].map {
                Grant.kanban($0, scope: .ownAssignment)
            }
            + [Grant.kanban(.commentTask, scope: .createdBySelf)]
            + [.progress, .note, .blocker].map(Grant.comment)
            + participantChannelActions
    )

    private static let reviewer = RoleDefinition(
        name: "reviewer",
        description: "Reviews work: messages, channels, comments on any task or epic including verdicts, reads the audit log.",
        isBuiltin: true,
        grants: commenterFamilies
            + [Grant.kanban(.commentTask), Grant.kanban(.commentEpic)]
            + CommentType.allCases.map(Grant.comment)
            + participantChannelActions
            + [Grant.audit(.auditRead)]
    )

    private static let researcher = RoleDefinition(
        name: "researcher",
        description: "Researches and reports: messages, channels, progress/note/blocker comments on any task or epic.",
        isBuiltin: true,
        grants: commenterFamilies
            + [Grant.kanban(.commentTask), Grant.kanban(.commentEpic)]
            + [.progress, .note, .blocker].map(Grant.comment)
            + participantChannelActions
    )

    private static let restricted = RoleDefinition(
        name: "restricted",
        description: "Read-only: reads channels and the board, sets its summary.",
        isBuiltin: true,
        grants: [.channelRead, .summary, .kanbanRead].map(Grant.family)
            + [.readChannelMessages, .searchChannelMessages].map(Grant.channel)
    )

    private static let `operator` = RoleDefinition(
        name: "operator",
        description: "Stands in for the human operator; grants no tools by itself.",
        isBuiltin: true,
        grants: [Grant.meta(.isOperatorSurrogate)]
    )

    private static let commenterFamilies = [ToolFamily.messaging, .channelRead, .channelWrite, .summary, .kanbanRead, .kanbanComment]
        .map(Grant.family)

    private static let participantChannelActions = [
        ChannelAction.postChannelMessage, .replyChannelThread, .readChannelMessages, .searchChannelMessages,
    ].map(Grant.channel)
}
