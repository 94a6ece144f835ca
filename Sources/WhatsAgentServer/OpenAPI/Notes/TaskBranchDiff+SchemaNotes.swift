import WhatsAgentAPI

extension TaskBranchDiffResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "The work on a task's branch, from the worktree of the agent on it.",
        fields: [
            "agent": "The agent whose worktree is on the branch.",
            "ahead": "Commits on the task's branch the repo's branch does not have.",
            "baseBranch": "The repo's current branch; absent on a detached HEAD.",
            "behind": "Commits on the repo's branch the task's branch does not have.",
            "diff": "The full diff as plain text (with `full=true`).",
            "task": "`WA-001`.",
            "truncated": "The full diff was cut at `limitBytes`.",
            "uncommitted": "Uncommitted changes in the worktree, untracked files included.",
            "untracked": "New files git does not track yet.",
        ]
    )
}
