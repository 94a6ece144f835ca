import WhatsAgentAPI

extension AgentResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "An agent as the API shows it.",
        fields: [
            "address": "`repo:agent`.",
            "lastPushAt": "When a push hint last went out to its latest session.",
            "lastPushConfirmedAt":
                "When its client last acted on a push (check_messages after it, a re-read of whatsagent://inbox, the app-server's turn).",
            "muted": "The human muted the agent: its sends are refused.",
            "nudgeEnabled": "PTY nudges for a Codex or custom agent (with pushes on); off, mail only raises the session's `pendingNudge`.",
            "pushPath": "How mail reaches its model now, decided by the daemon.",
            "pushPathReason": "Why pushPath is not the runtime's own (a managed Claude's typed fallback).",
            "pushWarning": "Pushes unconfirmed past [push] confirm_seconds, or a fallback standing in.",
            "session": "The live session, else the latest one; lists omit `exitTail`.",
            "worktree": "The agent's git worktree (absent: never switched on).",
        ]
    )
}

extension CreateAgentRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "address": "`repo:agent`.",
        "nudgeEnabled": "PTY nudges for a Codex or custom agent (default true).",
        "roles": "Role names; defaults by name (`main` → pm, others → engineer).",
        "worktree": "Start the agent in its own git worktree (the repo must be a git repository).",
        "worktreeBranch": "The worktree's branch (default `wa/<agent>`).",
    ])
}

extension CreateRepoRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "name": "Defaults to the sanitized folder name.",
        "path": "Absolute path of an existing directory.",
    ])
}

extension LiveSessionResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "A session that has not ended.",
        fields: [
            "kind": .oneOf(["managed", "external"])
        ]
    )
}

extension MainAgentResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "previous": "The agent that was main, if any (`repo:agent`)."
    ])
}

extension PersonaValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Optional prompt material for an agent.")
}

extension RemovalResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes("The result of removing a repo or an agent: the sessions that had to be stopped (with `force`).")
}

extension RepoResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "A registered directory.",
        fields: [
            "exists": "False when the directory was deleted after registration."
        ]
    )
}

extension SetMainAgentRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "agent": "`repo:agent`."
    ])
}

extension UpdateAgentRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Absent fields stay as they are.",
        fields: [
            "args": "Replaces the extra arguments.",
            "command": "An empty string clears the command override.",
            "muted": "Mute (true) or unmute the agent: a muted agent's sends are refused.",
            "nudgeEnabled": "PTY nudges on or off for a Codex or custom agent; MCP notifications and plugin pushes do not depend on it.",
            "persona": "Replaces the persona; an object with no fields clears it.",
            "roles": "Replaces the roles.",
            "worktree": "The worktree switch; off, the next launch starts in the repo (the folder stays).",
            "worktreeBranch": "Replaces the worktree's branch (used when the worktree is next created).",
        ]
    )
}
