import Hummingbird
import Logging
import WhatsAgentCore

/// Builds the router of the owner-only Unix socket: the management API the CLI (and, later, the web) uses.
///
/// ```swift
/// let router = buildSocketRouter(services: services)
/// let app = Application(router: router, configuration: .init(address: .unixDomainSocket(path: home.socket)))
/// ```
public func buildSocketRouter(services: DaemonServices) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestTargetGuardMiddleware())
    // Processes of managed agents are the agent, never the human (SPEC §2).
    router.add(middleware: AgentProcessBoundary(runners: services.sessions.runners))
    addManagementRoutes(to: router, services: services)
    RunnerController(runners: services.runners).addSocketRoutes(to: router)
    PasswordResetController(auth: services.auth, state: services.state).addRoutes(to: router)
    AgentProtocolController(services: services).addRoutes(to: router)
    return router
}

/// The human/management API: the same routes on the owner socket and, behind the login, on TCP (one API, one
/// OpenAPI document). The agent protocol is not part of it: it is mounted on the socket only (SPEC §2).
func addManagementRoutes(to router: Router<APIRequestContext>, services: DaemonServices) {
    DaemonController(services: services).addRoutes(to: router)
    MetricsController(services: services).addRoutes(to: router)
    WorkspaceController(workspaces: services.workspaces, sessions: services.sessions, retention: services.retention, runners: services.runners)
        .addRoutes(to: router)
    AgentController(
        repos: services.repos,
        agents: services.agents,
        sessions: services.sessions,
        messages: services.messages,
        runners: services.runners,
        worktrees: services.worktrees,
        pushes: services.pushes
    ).addRoutes(to: router)
    SessionController(sessions: services.sessions, messages: services.messages).addRoutes(to: router)
    ChannelController(channels: services.channels).addRoutes(to: router)
    MessageSearchController(search: services.search).addRoutes(to: router)
    BroadcastController(messages: services.messages, channels: services.channels).addRoutes(to: router)
    PeerRuleController(peerRules: services.peerRules, workspaces: services.workspaces).addRoutes(to: router)
    MessageHoldController(messages: services.messages).addRoutes(to: router)
    RoleController(rbac: services.rbac, sessions: services.sessions).addRoutes(to: router)
    RuntimeController(runtimes: services.runtimes, detector: services.runtimeDetector).addRoutes(to: router)
    ColleagueProtocolController(workspaces: services.workspaces).addRoutes(to: router)
    BoardItemController<BoardTask>(board: services.board).addRoutes(to: router)
    BoardTaskBranchController(board: services.board, worktrees: services.worktrees).addRoutes(to: router)
    BoardItemController<BoardEpic>(board: services.board).addRoutes(to: router)
    BoardEpicCloseController(board: services.board).addRoutes(to: router)
    BoardTransferController(board: services.board, workspaces: services.workspaces).addRoutes(to: router)
    RunnerController(runners: services.runners).addRoutes(to: router)
}

/// Builds the router of the TCP listener (SPEC §11): `GET /health` in public; the web login's routes; the management
/// API and `GET /metrics` behind the login, with a CSRF token on every state-changing request; the Host allow-list,
/// the exact Origin check, the body cap and the security headers on everything. The agent protocol
/// (`/api/v1/agent/…`) is never mounted here. The web UI's static files are served in public from `web` (nil: the
/// page routes answer 503 with how to get the files), see ``WebFolder``.
public func buildWebRouter(services: DaemonServices, security: WebSecurityPolicy, web: WebFolder? = nil) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestTargetGuardMiddleware())
    router.add(middleware: HostCheckMiddleware(policy: security))
    router.add(middleware: RequestBodyLimitMiddleware(maxBytes: security.maxRequestBytes))
    router.add(middleware: WebAuthMiddleware(auth: services.auth, policy: security))
    addManagementRoutes(to: router, services: services)
    AuthController(auth: services.auth, policy: security).addRoutes(to: router)
    TerminalStreamController(runners: services.runners).addRoutes(to: router)
    WebEventStreamController(auth: services.auth, events: services.workspaces.events, version: services.version).addRoutes(to: router)
    StaticFileController(folder: web).addRoutes(to: router)
    return router
}
