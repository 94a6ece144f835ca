import Logging
import ServiceLifecycle
import WhatsAgentCore

/// Periodic housekeeping: purges trashed workspaces past their retention. Runs once at start and then on a timer,
/// so retention holds for daemons that run for weeks.
struct MaintenanceService: Service {
    let workspaces: WorkspaceService
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
    }
}
