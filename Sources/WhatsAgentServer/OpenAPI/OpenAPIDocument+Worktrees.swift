import Foundation
import WhatsAgentAPI

/// Agents' git worktrees (issue 23): the diff and the removal.
extension OpenAPIDocument {
    func worktreePaths() -> [String: Any] {
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
                    response: self.schema(WorktreeDiffResponse.self),
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
                    response: self.schema(TaskBranchDiffResponse.self),
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
                    response: self.schema(WorktreeRemovalResult.self),
                    responseDescription: "The removed folder and the branch that stays."
                )
            ],
        ]
    }

}
