import Logging
import WhatsAgentClient

/// Acknowledges the leases of tool results once ``SessionTransport`` has written them (SPEC §7.2).
///
/// Retries briefly only when the daemon could not be reached; a refusal is final. Either way an unacknowledged lease
/// returns to the inbox and is redelivered, so nothing is lost.
struct LeaseAcknowledger: Sendable {
    let backend: any AgentBackend
    /// Waits between attempts when the daemon cannot be reached.
    let retryDelays: [Duration]
    let logger: Logger

    func acknowledge(_ leaseId: String) async {
        var delays = self.retryDelays[...]
        while true {
            do {
                try await self.backend.ack(leaseId: leaseId)
                self.logger.debug("acknowledged lease", metadata: ["lease.id": "\(leaseId)"])
                return
            } catch {
                if DaemonFailure.unreachable(error), let delay = delays.popFirst(), (try? await Task.sleep(for: delay)) != nil {
                    continue
                }
                self.logger.warning(
                    "could not acknowledge a lease; its messages will be redelivered",
                    metadata: ["lease.id": "\(leaseId)", "error": "\(error)"]
                )
                return
            }
        }
    }
}
