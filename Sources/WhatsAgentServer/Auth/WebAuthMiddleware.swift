import HTTPTypes
import Hummingbird
import WhatsAgentCore

/// Guards the TCP API (SPEC §11): state-changing requests and WebSocket upgrades must come from the daemon's own
/// origin; every route needs a logged-in session unless it is on the short ``publicRoutes`` list (default-deny,
/// decided on the route the router matched, never on the raw path); state-changing requests need the session's CSRF
/// token in `X-CSRF-Token`, WebSocket upgrades in the `csrf` query parameter. A plain request no route matched goes on
/// to the 404 answer, which serves nothing.
struct WebAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let auth: AuthService
    let policy: WebSecurityPolicy

    /// The only routes served without a session, as the router describes them (`METHOD /template`): the health
    /// probe, the login's own routes (session state, first-run setup, login, recovery) and the web UI's static files.
    static let publicRoutes: Set<String> = Set([
        "GET /health", "GET /api/v1/auth/session", "POST /api/v1/auth/setup", "POST /api/v1/auth/login",
        "POST /api/v1/auth/recover",
    ]).union(StaticFileController.routeDescriptions)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let changing = [HTTPRequest.Method.post, .put, .patch, .delete].contains(request.method)
        let upgrade = request.headers[.upgrade]?.lowercased() == "websocket"
        if changing || upgrade {
            guard self.policy.isAllowedOrigin(request.headers[.origin], host: request.hostHeader) else {
                throw DomainError(
                    .originNotAllowed,
                    "this request must come from the daemon's own page: its Origin header must be exactly the scheme and host it was sent to (cross-site requests are refused)"
                )
            }
        }
        if !upgrade && self.isPublic(request, context) { return try await next(request, context) }
        guard let token = request.sessionToken, try await self.auth.session(token: token) != nil else {
            if try await !self.auth.isPasswordSet() {
                throw DomainError(
                    .authenticationRequired,
                    "no password is set yet; open the setup link `whatsagent start` printed in the owner's terminal"
                )
            }
            throw DomainError(.authenticationRequired, "log in first (POST /api/v1/auth/login); the session is missing or has ended")
        }
        let expected = AuthSecret.csrfToken(forSession: token)
        if changing {
            guard let presented = request.headers[.xCSRFToken], AuthSecret.constantTimeEqual(presented, expected) else {
                throw DomainError(
                    .csrfTokenInvalid,
                    "missing or wrong CSRF token: send the csrfToken from GET /api/v1/auth/session in the \(WebSecurityPolicy.csrfHeader) header"
                )
            }
        }
        if upgrade {
            guard let presented = request.uri.queryParameters.get("csrf"), AuthSecret.constantTimeEqual(presented, expected) else {
                throw DomainError(
                    .csrfTokenInvalid,
                    "missing or wrong CSRF token: WebSocket upgrades carry the csrfToken from GET /api/v1/auth/session as ?csrf="
                )
            }
        }
        return try await next(request, context)
    }
}

extension WebAuthMiddleware {
    /// Whether `request` is served without a session: a matched route on ``publicRoutes``, or a request no route
    /// matched outside `/api` and `/metrics` (its 404 serves nothing). An unmatched request under `/api` needs the
    /// login first, so the route map is not revealed to anyone without one. The raw path only ever adds a refusal.
    func isPublic(_ request: Request, _ context: Context) -> Bool {
        if let route = context.endpointPath { return Self.publicRoutes.contains("\(request.method) \(route)") }
        let path = request.uri.path
        return !(path == "/api" || path.hasPrefix("/api/") || path == "/metrics")
    }
}

extension Request {
    /// The session cookie's token, if the browser sent one.
    var sessionToken: String? {
        self.cookies[WebSecurityPolicy.cookieName]?.value
    }
}
