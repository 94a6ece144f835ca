import HTTPTypes
import Hummingbird
import Logging
import WhatsAgentCore

/// Refuses requests whose `Host` is not one the daemon serves (DNS-rebinding defence), per
/// `WHATSAGENT_HOST_CHECK`: `enforce` refuses with 403, `warn` logs and serves, `off` skips the check.
/// `GET /health` is always served (it reveals nothing and probes may use any name).
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let policy: WebSecurityPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard self.policy.hostCheck != .off, request.uri.path != "/health" else { return try await next(request, context) }
        let host = request.hostHeader
        if self.policy.allowedHost(host) == nil {
            let shown = String((host ?? "").prefix(200))
            if self.policy.hostCheck == .enforce {
                throw DomainError(
                    .hostNotAllowed,
                    "the Host '\(shown)' is not served here; open the daemon at http://127.0.0.1:PORT, or add the name to [ui] allow_hosts (WHATSAGENT_HOST_ALLOW) when it is behind a reverse proxy"
                )
            }
            context.logger.warning("request for a Host that is not allowed", metadata: ["host": "\(shown)"])
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The `Host` the client asked for (HTTP/1 servers turn it into the `:authority`).
    var hostHeader: String? {
        self.headers[.hostField] ?? self.head.authority
    }
}
