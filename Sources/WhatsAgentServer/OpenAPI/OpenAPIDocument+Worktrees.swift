import Foundation

/// Agents' git worktrees (issue 23): the diff and the removal.
extension OpenAPIDocument {
    static func worktreePaths() -> [String: Any] {
        [
            "/api/v1/workspaces/{workspace}/agents/{agent}/worktree/diff": [
                "get": self.operation(
                    "agentWorktreeDiff",
                    tag: "Agents",
                    summary: "The diff summary of the agent's worktree; the full diff with `full=true`",
                    description: "The agent's work since its branch left the repo's HEAD: committed and uncommitted changes of "
                        + "tracked files (`files` with +/−, absent counts for binary files) and new untracked files by name. "
                        + "The full diff is plain text, cut at `limitBytes` (256 KiB; `truncated` says so). 404 `not_found` "
                        + "when the agent has no worktree folder; 409 `invalid_state` with git's message when git fails.",
                    parameters: [
                        self.workspaceParameter, self.agentParameter,
                        [
                            "name": "full", "in": "query", "required": false,
                            "description": "Include the full diff text (default false).", "schema": self.boolean,
                        ],
                    ],
                    response: self.ref("WorktreeDiffResponse"),
                    responseDescription: "The diff summary (and text)."
                )
            ],
            "/api/v1/workspaces/{workspace}/board/tasks/{task}/branch/diff": [
                "get": self.operation(
                    "boardTaskBranchDiff",
                    tag: "Board",
                    summary: "The diff of the task's branch; the full diff with `full=true`",
                    description: "Read from the worktree of the agent that is on the task's branch (the assignee's first): "
                        + "its work since the branch left the repo's current branch, committed and uncommitted, as for "
                        + "`agentWorktreeDiff`; git runs only in the workspace's agent worktrees. 409 `invalid_state` when the "
                        + "task names no branch or git fails; 404 `not_found` for an unknown task or when no agent worktree is "
                        + "on the branch.",
                    parameters: [
                        self.workspaceParameter,
                        self.pathParameter("task", "Task id: display id in any case (`WA-001`, `wa-1`), or row id."),
                        [
                            "name": "full", "in": "query", "required": false,
                            "description": "Include the full diff text (default false).", "schema": self.boolean,
                        ],
                    ],
                    response: self.ref("TaskBranchDiffResponse"),
                    responseDescription: "The diff summary (and text)."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}/worktree": [
                "delete": self.operation(
                    "removeAgentWorktree",
                    tag: "Agents",
                    summary: "Remove the agent's worktree folder; its branch is never deleted",
                    description: "409 `live_sessions` while the agent runs (stop it first); 409 `invalid_state` while the "
                        + "worktree has uncommitted changes and `force` is false (with `force` they are discarded); 404 "
                        + "`not_found` when there is no worktree folder.",
                    parameters: [self.workspaceParameter, self.agentParameter, self.forceParameter],
                    response: self.ref("WorktreeRemovalResult"),
                    responseDescription: "The removed folder and the branch that stays."
                )
            ],
        ]
    }

    static func worktreeSchemas() -> [String: Any] {
        [
            "AgentWorktreeResponse": self.object(
                description: "An agent's git worktree: `<home>/workspaces/<id>/worktrees/<repo>/<agent>`, created at launch.",
                required: [
                    "enabled": self.described(self.boolean, "The switch: on, the agent starts in this worktree."),
                    "path": self.string,
                    "branch": self.string,
                    "exists": self.described(self.boolean, "Whether the folder exists (it is created at the first launch)."),
                ],
                optional: [
                    "baseBranch": self.described(self.string, "The repo's current branch; absent on a detached HEAD."),
                    "ahead": self.described(self.integer, "Commits on the agent's branch the repo's HEAD does not have."),
                    "behind": self.described(self.integer, "Commits on the repo's HEAD the agent's branch does not have."),
                    "changes": self.described(self.integer, "Uncommitted changes, untracked files included."),
                    "problem": self.described(self.string, "Why git could not answer."),
                ]
            ),
            "WorktreeFileResponse": self.object(
                required: ["path": self.string],
                optional: [
                    "added": self.described(self.integer, "Lines added; absent for a binary file."),
                    "removed": self.described(self.integer, "Lines removed; absent for a binary file."),
                ]
            ),
            "WorktreeDiffResponse": self.object(
                description: "The agent's work since its branch left the repo's HEAD.",
                required: [
                    "agent": self.string,
                    "files": self.array(self.ref("WorktreeFileResponse")),
                    "untracked": self.described(self.array(self.string), "New files git does not track yet."),
                    "filesChanged": self.integer,
                    "added": self.integer,
                    "removed": self.integer,
                    "truncated": self.described(self.boolean, "The full diff was cut at `limitBytes`."),
                    "limitBytes": self.integer,
                ],
                optional: ["diff": self.described(self.string, "The full diff as plain text (with `full=true`).")]
            ),
            "TaskBranchDiffResponse": self.object(
                description: "The work on a task's branch, from the worktree of the agent on it.",
                required: [
                    "task": self.described(self.string, "`WA-001`."),
                    "branch": self.string,
                    "agent": self.described(self.string, "The agent whose worktree is on the branch."),
                    "files": self.array(self.ref("WorktreeFileResponse")),
                    "untracked": self.described(self.array(self.string), "New files git does not track yet."),
                    "filesChanged": self.integer,
                    "added": self.integer,
                    "removed": self.integer,
                    "truncated": self.described(self.boolean, "The full diff was cut at `limitBytes`."),
                    "limitBytes": self.integer,
                ],
                optional: [
                    "baseBranch": self.described(self.string, "The repo's current branch; absent on a detached HEAD."),
                    "ahead": self.described(self.integer, "Commits on the task's branch the repo's branch does not have."),
                    "behind": self.described(self.integer, "Commits on the repo's branch the task's branch does not have."),
                    "uncommitted": self.described(self.integer, "Uncommitted changes in the worktree, untracked files included."),
                    "diff": self.described(self.string, "The full diff as plain text (with `full=true`)."),
                ]
            ),
            "WorktreeRemovalResult": self.object(
                required: [
                    "agent": self.string,
                    "path": self.string,
                    "branch": self.described(self.string, "The branch, which stays."),
                    "discardedChanges": self.described(self.integer, "Uncommitted changes discarded (with `force`)."),
                ]
            ),
        ]
    }
}
