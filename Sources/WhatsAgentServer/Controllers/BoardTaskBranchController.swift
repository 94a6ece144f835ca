import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// `GET /api/v1/workspaces/{workspace}/board/tasks/{task}/branch/diff[?full=true]` (issue 23): the diff of the task's
/// branch for the task drawer, read from the worktree of the agent on that branch (the assignee's first).
struct BoardTaskBranchController {
    let board: BoardService
    let worktrees: WorktreeService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/board/tasks/{task}/branch/diff", use: self.diff)
    }

    @Sendable func diff(_ request: Request, context: APIRequestContext) async throws -> TaskBranchDiffResponse {
        let workspace = try AgentController.workspace(context)
        let full = try WorktreeController.flag("full", request)
        let task = try await self.board.detail(BoardTask.self, try BoardController.item("task", context), by: .human, workspace: workspace).task
        guard let branch = task.branch else {
            throw DomainError(
                .invalidState,
                "\(task.displayID) names no branch; set one with `whatsagent task edit \(task.displayID) --branch B` (or the agent's update_kanban_task)"
            )
        }
        let found = try await self.worktrees.taskBranchDiff(workspace: workspace, branch: branch, preferring: task.assigneeAgentID, full: full)
        return TaskBranchDiffResponse(
            task: task.displayID,
            branch: branch,
            agent: found.agent.description,
            baseBranch: found.status.baseBranch,
            ahead: found.status.ahead,
            behind: found.status.behind,
            uncommitted: found.status.changes,
            files: found.diff.files.map { WorktreeFileResponse(path: $0.path, added: $0.added, removed: $0.removed) },
            untracked: found.diff.untracked,
            diff: found.diff.text,
            truncated: found.diff.truncated,
            limitBytes: WorktreeService.fullDiffLimit
        )
    }
}

extension TaskBranchDiffResponse: ResponseEncodable {}
