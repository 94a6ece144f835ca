import WhatsAgentAPI

extension AgentWorktreeResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "An agent's git worktree: `<home>/workspaces/<id>/worktrees/<repo>/<agent>`, created at launch.",
        fields: [
            "ahead": "Commits on the agent's branch the repo's HEAD does not have.",
            "baseBranch": "The repo's current branch; absent on a detached HEAD.",
            "behind": "Commits on the repo's HEAD the agent's branch does not have.",
            "changes": "Uncommitted changes, untracked files included.",
            "enabled": "The switch: on, the agent starts in this worktree.",
            "exists": "Whether the folder exists (it is created at the first launch).",
            "problem": "Why git could not answer.",
        ]
    )
}

extension WorktreeDiffResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "The agent's work since its branch left the repo's HEAD.",
        fields: [
            "diff": "The full diff as plain text (with `full=true`).",
            "truncated": "The full diff was cut at `limitBytes`.",
            "untracked": "New files git does not track yet.",
        ]
    )
}

extension WorktreeFileResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "added": "Lines added; absent for a binary file.",
        "removed": "Lines removed; absent for a binary file.",
    ])
}

extension WorktreeRemovalResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "branch": "The branch, which stays.",
        "discardedChanges": "Uncommitted changes discarded (with `force`).",
    ])
}
