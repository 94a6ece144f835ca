import Hummingbird
import WhatsAgentCore

/// The owner-socket boundary (SPEC §2): a request from a process that descends from a live runner (the runner, the
/// agent it runs, or anything the agent started — recognised by pid, or by a `whatsagent runner` among its ancestors)
/// is that agent, never the human. Such a process may use the agent
/// protocol (`/api/v1/agent/…`, authenticated by its session token) and `GET /health`; every other route answers
/// 403 `human_only`. The peer's ancestry is read once per connection (`SO_PEERCRED` and `/proc`, Linux only); the
/// set of live runners is checked on every request, so a runner started after the connection opened still counts.
struct AgentProcessBoundary: RouterMiddleware {
    typealias Context = APIRequestContext

    let runners: RunnerRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/v1/agent/") || path == "/health" { return try await next(request, context) }
        let peer = await PeerProcess.identity(of: context.channel)
        guard !peer.ancestry.isEmpty else { return try await next(request, context) }
        let agent: String
        if let (session, entry) = await self.runners.session(owningAnyOf: peer.ancestry) {
            agent = "the managed agent \(entry.agentAddress) (session \(session))"
        } else if let session = peer.runnerSession {
            // A runner the daemon has not registered yet (its agent started before `launch` returned) is one too.
            agent = "a managed agent (session \(session))"
        } else {
            return try await next(request, context)
        }
        throw DomainError(
            .humanOnly,
            "this request comes from a process of \(agent), and \(request.method) \(path) acts as the human; agents use their WhatsAgent MCP tools (check_messages, send_message, …) instead"
        )
    }
}
