import Hummingbird
import WhatsAgentCore
import WhatsAgentRunners

/// The owner-socket boundary (SPEC §2): a request from a process that descends from a live runner (the runner, the
/// agent it runs, or anything the agent started — recognised by pid, or by a `whatsagent runner` among its ancestors)
/// is that agent, never the human. Such a process may use the agent protocol (`/api/v1/agent/…`, authenticated by its
/// session token) and `GET /health`; every other route answers 403 `human_only`.
///
/// It fails closed: the peer is identified when the connection is accepted (`PeerProcess`) and its ancestry is walked
/// on every request; a peer that has exited (the connection outlived the process that opened it), that cannot be
/// read, or whose chain of parents does not reach pid 1 (deeper than `ProcessTree.maxDepth`, or leaving this PID
/// namespace) is not the human either. The runners are subreapers (`RunnerSubtree`), so a double-forked or
/// `setsid -f` orphan keeps its runner among its ancestors. See docs/security.md for what remains.
struct AgentProcessBoundary: RouterMiddleware {
    typealias Context = APIRequestContext

    let runners: RunnerRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/v1/agent/") || path == "/health" { return try await next(request, context) }
        // No OS socket at all (the in-process test harness): there is no peer process to tell apart.
        guard let peer = await PeerProcess.identity(of: context.channel) else { return try await next(request, context) }
        let agent: String
        switch peer.ancestry {
        case .incomplete(let reason):
            throw DomainError(
                .humanOnly,
                "\(request.method) \(path) acts as the human, and WhatsAgent cannot tell that this request comes from the human: \(reason); run the whatsagent CLI from a terminal that is not inside an agent session (agents use their WhatsAgent MCP tools, check_messages, send_message, …, instead)"
            )
        case .complete(let chain):
            if let (session, entry) = await self.runners.session(owningAnyOf: chain) {
                agent = "the managed agent \(entry.agentAddress) (session \(session))"
            } else if let session = peer.runnerSession {
                // A runner the daemon has not registered yet (its agent started before `launch` returned) is one too.
                agent = "a managed agent (session \(session))"
            } else {
                return try await next(request, context)
            }
        }
        throw DomainError(
            .humanOnly,
            "this request comes from a process of \(agent), and \(request.method) \(path) acts as the human; agents use their WhatsAgent MCP tools (check_messages, send_message, …) instead"
        )
    }
}
