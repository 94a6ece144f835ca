import Hummingbird
import NIOCore
import WhatsAgentCore

/// `GET /metrics`: the Prometheus text exposition (format 0.0.4) of the daemon's metrics (SPEC §13). Served on the
/// owner-only Unix socket; the web listener gets it with the login work.
struct MetricsController {
    let services: DaemonServices

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/metrics", use: self.scrape)
    }

    @Sendable func scrape(_ request: Request, context: APIRequestContext) async throws -> Response {
        let text = await self.services.metrics.scrape(workspaces: self.services.workspaces, hub: self.services.hub)
        return Response(
            status: .ok,
            headers: [.contentType: PrometheusText.contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
