import HTTPTypes
import Hummingbird
import WhatsAgentCore

/// Counts every request in `whatsagent_http_requests_total` by method, matched route template (e.g.
/// `/api/v1/workspaces/{workspace}/agents`, never the raw path, so ids do not grow the label set; `unmatched` when
/// no route matched) and status class (`2xx` … `5xx`). Added first, so it sees the status the error middleware chose.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            self.record(request, context, status: response.status.code)
            return response
        } catch {
            self.record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int) {
        let method = knownHTTPMethods.contains(request.method) ? request.method.rawValue : "other"
        // Hummingbird names an unmatched request's endpoint `NotFound`; only real route templates start with `/`.
        let route = context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        self.metrics.httpRequests.increment([method, route, "\(status / 100)xx"])
    }
}

/// Methods counted by name; anything else is `other`, so a client cannot grow the label set.
private let knownHTTPMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
