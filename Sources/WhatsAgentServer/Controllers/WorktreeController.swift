import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// `…/agents/{agent}/worktree…` (issue 23): the diff of an agent's worktree and its removal.
struct WorktreeController {
    let agents: AgentService
    let worktrees: WorktreeService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/agents/{agent}/worktree/diff", use: self.diff)
        router.delete("/api/v1/workspaces/{workspace}/agents/{agent}/worktree", use: self.remove)
    }

    @Sendable func diff(_ request: Request, context: APIRequestContext) async throws -> WorktreeDiffResponse {
        let address = try AgentController.address(context)
        let full = try Self.flag("full", request)
        let diff = try await self.worktrees.diff(workspace: try AgentController.workspace(context), address, full: full)
        return WorktreeDiffResponse(
            agent: address.description,
            files: diff.files.map { WorktreeFileResponse(path: $0.path, added: $0.added, removed: $0.removed) },
            untracked: diff.untracked,
            filesChanged: diff.files.count + diff.untracked.count,
            added: diff.added,
            removed: diff.removed,
            diff: diff.text,
            truncated: diff.truncated,
            limitBytes: WorktreeService.fullDiffLimit
        )
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> WorktreeRemovalResult {
        let address = try AgentController.address(context)
        let status = try await self.worktrees.remove(
            workspace: try AgentController.workspace(context),
            address,
            force: try AgentController.force(request)
        )
        return WorktreeRemovalResult(agent: address.description, path: status.path, branch: status.branch, discardedChanges: status.changes ?? 0)
    }

    static func flag(_ name: String, _ request: Request) throws -> Bool {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return false }
        switch raw.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw DomainError.invalidArgument("query parameter \(name) must be true or false (got '\(raw)')")
        }
    }
}

extension WorktreeDiffResponse: ResponseEncodable {}
extension WorktreeRemovalResult: ResponseEncodable {}

extension AgentWorktreeResponse {
    init(setting: WorktreeSetting, status: WorktreeStatus?) {
        self.init(
            enabled: setting.enabled,
            path: status?.path ?? "",
            branch: status?.branch ?? setting.branch,
            exists: status?.exists ?? false,
            baseBranch: status?.baseBranch,
            ahead: status?.ahead,
            behind: status?.behind,
            changes: status?.changes,
            problem: status?.problem
        )
    }
}
