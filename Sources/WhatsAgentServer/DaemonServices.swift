import Foundation
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners
import WhatsAgentRuntimes

/// Everything the routes need: the domain services and what the daemon knows about itself.
public struct DaemonServices: Sendable {
    public let workspaces: WorkspaceService
    public let repos: RepoService
    public let agents: AgentService
    public let hub: EventHub
    public let sessions: SessionService
    public let messages: MessageService
    public let channels: ChannelService
    /// Full-text search over messages and channel posts.
    public let search: MessageSearchService
    /// The metrics served by `GET /metrics` (SPEC §13).
    public let metrics: DaemonMetrics
    public let rbac: RBACService
    /// The Kanban board (checks agent actors against RBAC with the ceiling below).
    public let board: BoardService
    /// Peer rules of the p2p topology.
    public let peerRules: PeerRuleService
    /// Chat and audit retention, run by the maintenance timer.
    public let retention: RetentionService
    /// Daemon-wide runtime commands (`whatsagent runtime set`).
    public let runtimes: RuntimeSettingsService
    /// The web login: setup token, password, recovery code, browser sessions and the lockout (SPEC §11).
    public let auth: AuthService
    /// The runners of managed sessions: launch, stop, watch, re-adopt, PTY nudges.
    public let runners: RunnerSupervisor
    /// Agents' git worktrees (issue 23), driven through the `git` CLI.
    public let worktrees: WorktreeService
    /// Per session: when pushes went out and were confirmed; each agent's push path and warning (SPEC §7.2).
    public let pushes: PushConfirmationService
    /// Probes runtime commands with `--version` (`whatsagent runtime detect`); tests may shorten its timeout.
    public var runtimeDetector = RuntimeDetector()
    /// The loosest RBAC mode any workspace may run under (`start --rbac-ceiling`).
    public let rbacCeiling: RBACMode
    public let state: DaemonState
    public let home: HomeLayout
    public let version: String

    /// - Parameters:
    ///   - executablePath: the `whatsagent` binary written into generated MCP configs.
    ///   - auditDays: days audit entries are kept (`[retention] audit_days`).
    ///   - auditMaxEntries: most audit entries a workspace keeps (`[retention] audit_max_entries`).
    ///   - passwordHasher: hashes the web password and recovery code (bcrypt cost 12 unless a test says otherwise).
    ///   - pushConfirmWithin: how long a push may go unconfirmed before it warns (`[push] confirm_seconds`).
    public init(
        workspaces: WorkspaceService,
        state: DaemonState,
        home: HomeLayout,
        version: String,
        executablePath: String,
        rbacCeiling: RBACMode = .enforce,
        auditDays: Int = 90,
        auditMaxEntries: Int = 1_000_000,
        passwordHasher: any PasswordHasher = BcryptPasswordHasher(),
        pushConfirmWithin: Duration = .seconds(60)
    ) {
        self.workspaces = workspaces
        self.repos = RepoService(workspaces: workspaces)
        self.agents = AgentService(workspaces: workspaces)
        self.hub = EventHub(bus: workspaces.events)
        self.sessions = SessionService(workspaces: workspaces, hub: self.hub, socketPath: home.socket, executablePath: executablePath)
        self.metrics = DaemonMetrics()
        self.messages = MessageService(workspaces: workspaces, hub: self.hub, metrics: self.metrics)
        self.search = MessageSearchService(workspaces: workspaces)
        self.channels = ChannelService(workspaces: workspaces, messages: self.messages)
        self.rbac = RBACService(workspaces: workspaces)
        self.board = BoardService(workspaces: workspaces, messages: self.messages, rbac: self.rbac)
        self.peerRules = PeerRuleService(workspaces: workspaces)
        self.retention = RetentionService(workspaces: workspaces, auditDays: auditDays, auditMaxEntries: auditMaxEntries)
        self.runtimes = RuntimeSettingsService(workspaces: workspaces)
        self.worktrees = WorktreeService(workspaces: workspaces, git: GitWorktrees())
        self.pushes = PushConfirmationService(workspaces: workspaces, confirmWithin: pushConfirmWithin)
        self.runners = RunnerSupervisor(
            workspaces: workspaces,
            sessions: self.sessions,
            agents: self.agents,
            repos: self.repos,
            runtimes: self.runtimes,
            hub: self.hub,
            executablePath: executablePath,
            worktrees: self.worktrees,
            pushes: self.pushes
        )
        self.auth = AuthService(workspaces: workspaces, hasher: passwordHasher)
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
