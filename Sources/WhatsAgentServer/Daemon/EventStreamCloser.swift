import ServiceLifecycle
import WhatsAgentCore

/// Ends every agent events stream when the daemon shuts down, so the socket server's in-flight streaming
/// responses finish and graceful shutdown completes.
struct EventStreamCloser: Service {
    let hub: EventHub

    func run() async throws {
        try? await gracefulShutdown()
        await self.hub.closeAll()
    }
}
