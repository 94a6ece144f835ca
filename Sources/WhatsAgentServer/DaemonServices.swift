import Foundation
import WhatsAgentCore

/// Everything the routes need: the domain services and what the daemon knows about itself.
public struct DaemonServices: Sendable {
    public let workspaces: WorkspaceService
    public let repos: RepoService
    public let agents: AgentService
    public let hub: EventHub
    public let sessions: SessionService
    public let messages: MessageService
    public let channels: ChannelService
    public let rbac: RBACService
    /// The loosest RBAC mode any workspace may run under (`start --rbac-ceiling`).
    public let rbacCeiling: RBACMode
    public let state: DaemonState
    public let home: HomeLayout
    public let version: String

    /// - Parameter executablePath: the `whatsagent` binary written into generated MCP configs.
    public init(
        workspaces: WorkspaceService,
        state: DaemonState,
        home: HomeLayout,
        version: String,
        executablePath: String,
        rbacCeiling: RBACMode = .enforce
    ) {
        self.workspaces = workspaces
        self.repos = RepoService(workspaces: workspaces)
        self.agents = AgentService(workspaces: workspaces)
        self.hub = EventHub()
        self.sessions = SessionService(workspaces: workspaces, hub: self.hub, socketPath: home.socket, executablePath: executablePath)
        self.messages = MessageService(workspaces: workspaces, hub: self.hub)
        self.channels = ChannelService(workspaces: workspaces, messages: self.messages)
        self.rbac = RBACService(workspaces: workspaces)
        self.rbacCeiling = rbacCeiling
        self.state = state
        self.home = home
        self.version = version
    }
}

/// Facts about the running daemon that are known only once it runs: its URL (the real port when bound to port 0)
/// and how to ask it to shut down.
public actor DaemonState {
    public let startedAt: Date
    public private(set) var url: String
    private var shutdownHandler: (@Sendable () -> Void)?

    public init(startedAt: Date, url: String = "") {
        self.startedAt = startedAt
        self.url = url
    }

    func setURL(_ url: String) {
        self.url = url
    }

    func onShutdownRequest(_ handler: @escaping @Sendable () -> Void) {
        self.shutdownHandler = handler
    }

    /// Begins a graceful shutdown of the daemon (no-op when nothing is registered, e.g. in tests).
    func requestShutdown() {
        self.shutdownHandler?()
    }
}
