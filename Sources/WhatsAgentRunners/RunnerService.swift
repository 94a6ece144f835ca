import Logging
import ServiceLifecycle

/// Runner supervision as a service of the daemon's `ServiceGroup` (issue 20). Runners outlive the daemon (SPEC §2):
/// ``prepare()`` re-adopts the live ones before the listeners start (so the first request already sees them) and ends
/// the sessions of the dead ones; at shutdown — graceful, or the group failing — the service lets go of every runner
/// without stopping it, after the listeners it is listed before have stopped, so the next daemon re-adopts them.
package struct RunnerService: Service {
    let supervisor: RunnerSupervisor
    let logger: Logger

    package init(supervisor: RunnerSupervisor, configuration: RunnerSupervisor.Configuration, logger: Logger) async {
        self.supervisor = supervisor
        self.logger = logger
        await supervisor.configure(configuration, logger: logger)
    }

    /// Reconnects the live runners of the previous daemon and ends the sessions of the dead ones.
    package func prepare() async {
        await self.supervisor.adoptAll()
    }

    package func run() async throws {
        // Cancellation (the group failing) ends the wait as a graceful shutdown does: either way, let go.
        try? await gracefulShutdown()
        await self.supervisor.detachAll()
        self.logger.debug("runners detached; they keep running for the next daemon")
    }
}
