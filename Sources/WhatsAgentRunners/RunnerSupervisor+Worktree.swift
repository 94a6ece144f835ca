import Foundation
import Logging
import WhatsAgentCore

extension RunnerSupervisor {
    /// Where the agent starts: its git worktree when the switch is on (created, reused or recreated here, said in the
    /// log), else the repo. A failure refuses the launch before any session opens.
    func workingDirectory(workspace: Workspace, agent: Agent, repo: Repo) async throws -> String {
        guard let worktrees = self.worktrees else { return repo.path }
        let prepared: (directory: String, how: WorktreePreparation)?
        do {
            prepared = try await worktrees.prepareLaunch(workspace: workspace.id, agent: agent, repo: repo)
        } catch let error as DomainError {
            throw DomainError(error.code, "cannot launch \(agent.address) in its worktree: \(error.message)")
        }
        guard let prepared else { return repo.path }
        let metadata: Logger.Metadata = ["agent": "\(agent.address)", "worktree": "\(prepared.directory)"]
        switch prepared.how {
        case .reused:
            self.logger.info("worktree reused", metadata: metadata)
        case .created(let branchCreated):
            self.logger.info("worktree created", metadata: metadata.merging(["branch.created": "\(branchCreated)"]) { $1 })
        case .recreated(let branchCreated):
            self.logger.notice(
                "worktree folder was missing (deleted by hand?): stale entries pruned and the worktree recreated",
                metadata: metadata.merging(["branch.created": "\(branchCreated)"]) { $1 }
            )
        }
        return prepared.directory
    }
}
