import ServiceLifecycle
import WhatsAgentCore

/// Ends every agent events stream when the daemon shuts down, so the socket server's in-flight streaming
/// responses finish and graceful shutdown completes.
struct EventStreamCloser: Service {
    let hub: EventHub

    func run() async throws {
        try? await gracefulShutdown()
        await self.hub.closeAll()
        // The web event streams close themselves (1001) before the web server's shutdown closes what is left (1000).
        await self.hub.bus.readersFinished(within: .seconds(2))
    }
}
