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
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: ErrorMiddleware())
    DaemonController(services: services).addRoutes(to: router)
    MetricsController(services: services).addRoutes(to: router)
    WorkspaceController(workspaces: services.workspaces, sessions: services.sessions, retention: services.retention).addRoutes(to: router)
    AgentController(repos: services.repos, agents: services.agents, sessions: services.sessions, messages: services.messages).addRoutes(to: router)
    SessionController(sessions: services.sessions, messages: services.messages).addRoutes(to: router)
    ChannelController(channels: services.channels).addRoutes(to: router)
    MessageSearchController(search: services.search).addRoutes(to: router)
    BroadcastController(messages: services.messages, channels: services.channels).addRoutes(to: router)
    PeerRuleController(peerRules: services.peerRules, workspaces: services.workspaces).addRoutes(to: router)
    MessageHoldController(messages: services.messages).addRoutes(to: router)
    RoleController(rbac: services.rbac, sessions: services.sessions).addRoutes(to: router)
    RuntimeController(runtimes: services.runtimes, detector: services.runtimeDetector).addRoutes(to: router)
    BoardTaskController(board: services.board).addRoutes(to: router)
    BoardEpicController(board: services.board).addRoutes(to: router)
    BoardTransferController(board: services.board, workspaces: services.workspaces).addRoutes(to: router)
    AgentProtocolController(services: services).addRoutes(to: router)
    return router
}

/// Builds the router of the TCP listener. Until the web login exists it serves only `GET /health`; everything else
/// is a 404, so nothing but health is reachable over the network side.
public func buildWebRouter(services: DaemonServices) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.get("/health", use: DaemonController(services: services).health)
    return router
}
