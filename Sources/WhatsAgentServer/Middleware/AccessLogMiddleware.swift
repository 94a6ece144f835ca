import Hummingbird
import Logging

/// One `debug` line per request: method, path (never the query string: the setup link carries its token there),
/// status and duration. Headers and bodies are never logged. Added first, so it sees the status the error middleware
/// chose; at the default `info` level the line is never built.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= .debug else { return try await next(request, context) }
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            self.log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - start) / .milliseconds(1)
        context.logger.debug(
            "request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.path": "\(request.uri.path)",
                "http.status": "\(status)",
                "duration_ms": "\((milliseconds * 100).rounded() / 100)",
            ]
        )
    }
}
