import Logging
import ServiceLifecycle
import WhatsAgentCore

/// Periodic housekeeping: purges trashed workspaces past their retention, and prunes chat history and audit entries
/// of every active workspace (``RetentionService``). Runs once at start and then on a timer, so retention holds for
/// daemons that run for weeks.
struct MaintenanceService: Service {
    let workspaces: WorkspaceService
    let retention: RetentionService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await self.tick()
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    func tick() async {
        do {
            let purged = try await self.workspaces.purgeExpired()
            for workspace in purged {
                self.logger.info("purged expired trashed workspace", metadata: ["workspace.id": "\(workspace.id)"])
            }
        } catch {
            self.logger.error("maintenance failed", metadata: ["error": "\(error)"])
        }
        do {
            let (pruned, failures) = try await self.retention.pruneAll()
            for result in pruned where result.messages + result.posts + result.auditEntries > 0 {
                self.logger.info(
                    "pruned past retention",
                    metadata: [
                        "workspace.id": "\(result.workspaceID)", "messages": "\(result.messages)", "posts": "\(result.posts)",
                        "audit": "\(result.auditEntries)",
                    ]
                )
            }
            for failure in failures {
                self.logger.error("retention failed", metadata: ["workspace": "\(failure.workspace)", "error": "\(failure.error)"])
            }
        } catch {
            self.logger.error("retention failed", metadata: ["error": "\(error)"])
        }
    }
}
