import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners
import WhatsAgentSQLite

/// The daemon process: takes the home's lock, opens the databases, serves the TCP and Unix-socket listeners and
/// housekeeping as one `ServiceGroup`, and cleans up its socket and pid file on the way out.
public struct Daemon: Sendable {
    public let home: HomeLayout
    public let configuration: DaemonConfiguration
    public let version: String
    /// The `whatsagent` binary that generated MCP configs run as `whatsagent mcp`.
    public let executablePath: String
    public let logger: Logger

    public init(home: HomeLayout, configuration: DaemonConfiguration, version: String, executablePath: String, logger: Logger) {
        self.home = home
        self.configuration = configuration
        self.version = version
        self.executablePath = executablePath
        self.logger = logger
    }

    /// Runs until SIGTERM/SIGINT or a stop request. `onReady` is called once both listeners accept connections.
    /// - Throws: ``DomainError`` with `daemon_already_running`, `bind_failed`, `home_path_too_long`, …
    public func run(onReady: @escaping @Sendable (DaemonInfo) async -> Void) async throws {
        try self.home.validateSocketPaths()
        umask(0o077)
        try self.home.prepare()
        let lock = try PIDFileLock.acquire(path: self.home.pidFile)
        defer { lock.release() }

        let registry = try DaemonDatabase.open(path: self.home.daemonDatabase)
        let workspaces = WorkspaceService(
            storage: .home(self.home),
            registry: registry,
            stores: SQLiteStoreFactory(),
            defaults: self.configuration.workspaceDefaults,
            trashDays: self.configuration.trashDays,
            logger: self.logger
        )
        try await workspaces.start()
        let state = DaemonState(startedAt: WallClock.now())
        let services = DaemonServices(
            workspaces: workspaces,
            state: state,
            home: self.home,
            version: self.version,
            executablePath: self.executablePath,
            rbacCeiling: self.configuration.rbacCeiling,
            auditDays: self.configuration.auditDays,
            auditMaxEntries: self.configuration.auditMaxEntries,
            pushConfirmWithin: .seconds(self.configuration.pushConfirmSeconds)
        )
        // Runners outlive the daemon: reconnect the live ones, end the sessions of the dead ones (SPEC §2).
        let runners = await RunnerService(
            supervisor: services.runners,
            configuration: RunnerSupervisor.Configuration(bufferBytes: self.configuration.runnerBufferBytes),
            logger: self.logger
        )
        await runners.prepare()

        // Only the lock holder gets here, so a socket file left behind is stale (a crashed daemon's).
        unlink(self.home.socket)
        defer { unlink(self.home.socket) }

        // Without a web password, a fresh one-time setup token; only `whatsagent start` prints its link.
        let setupToken = try await services.auth.prepareSetupToken()
        let webPort = BoundPort(self.configuration.port)
        let gate = ReadinessGate { [home, configuration, version] port in
            let url = "http://\(Self.urlHost(configuration.host)):\(port)"
            await state.setURL(url)
            var info = DaemonInfo(url: url, pid: getpid(), socket: home.socket, home: home.root, version: version)
            if let data = try? WireJSON.encoder().encode(info) { lock.write(data) }
            info.setupURL = setupToken.map { SetupLink.url(base: url, token: $0) }
            await onReady(info)
        }
        let socketApp = Application(
            router: buildSocketRouter(services: services),
            // Each connection's peer process is identified as it is accepted (the agent boundary, docs/security.md).
            server: .http1(configuration: .init(additionalChannelHandlers: [PeerCaptureHandler()])),
            // A burst of agents connecting at once (a team launched together) must not find the queue full: a Unix socket
            // refuses with EAGAIN past it. The kernel caps it at net.core.somaxconn.
            configuration: .init(address: .unixDomainSocket(path: self.home.socket), serverName: nil, backlog: 4096),
            onServerRunning: { [home] _ in
                chmod(home.socket, 0o600)
                await gate.socketListening()
            },
            logger: self.logger
        )
        // One router answers both plain requests and WebSocket upgrades, so the upgrades pass the same Host, login,
        // CSRF and Origin checks; a refused upgrade falls through to the same router and gets its JSON error.
        let web = WebFolder.discover(configured: self.configuration.webDirectory, executablePath: self.executablePath)
        Self.logWebFolder(web, configured: self.configuration.webDirectory, logger: self.logger)
        let webRouter = buildWebRouter(
            services: services,
            security: WebSecurityPolicy(configuration: self.configuration, port: webPort),
            web: web
        )
        let webApp = Application(
            router: webRouter,
            // 1 MiB frames from the browser: a paste into the terminal arrives as one frame (the default is 16 KiB).
            server: .limitedHTTP1WebSocketUpgrade(
                webSocketRouter: webRouter,
                webSocket: .init(maxFrameSize: 1 << 20),
                counter: ConnectionCounter(cap: self.connectionCap(), logger: self.logger),
                timeouts: ConnectionTimeouts(
                    header: .seconds(Int64(self.configuration.headerTimeoutSeconds)),
                    idle: .seconds(Int64(self.configuration.idleTimeoutSeconds))
                )
            ),
            configuration: .init(address: .hostname(self.configuration.host, port: self.configuration.port), serverName: nil),
            onServerRunning: { channel in
                webPort.set(channel.localAddress?.port ?? 0)
                await gate.webListening(port: channel.localAddress?.port ?? 0)
            },
            logger: self.logger
        )
        let maintenance = MaintenanceService(
            workspaces: workspaces,
            retention: services.retention,
            interval: .seconds(self.configuration.pruneEverySeconds),
            logger: self.logger
        )
        // Last in the list, so it is shut down first: it ends the long-lived event streams the socket server waits on.
        let streams = EventStreamCloser(hub: services.hub)
        var groupConfiguration = ServiceGroupConfiguration(
            // First in the list, so it is shut down last: the runners are let go once nothing serves requests.
            services: [
                .init(service: runners), .init(service: webApp), .init(service: socketApp), .init(service: maintenance),
                .init(service: streams),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: self.logger
        )
        // A connection that does not finish (a browser tab's socket caught mid-reconnect, say) must not keep the daemon
        // alive: after this long, graceful shutdown escalates to cancellation and the daemon exits.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        await state.onShutdownRequest {
            // The handler is synchronous; bridge to the async trigger.
            Task { await group.triggerGracefulShutdown() }
        }
        do {
            try await group.run()
            await Self.close(workspaces, registry, logger: self.logger)
            self.logger.info("daemon stopped")
        } catch {
            await Self.close(workspaces, registry, logger: self.logger)
            if await gate.isReady { throw error }
            throw self.startupFailure(error)
        }
    }

    /// Says at start which web folder the TCP listener serves, or that there is none (then `/` answers 503).
    private static func logWebFolder(_ web: WebFolder?, configured: String?, logger: Logger) {
        if let configured, !configured.isEmpty, web?.source != .configured {
            logger.warning(
                "the configured web folder has no index.html; ignoring it",
                metadata: ["web_dir": "\(configured)", "hint": "point WHATSAGENT_WEB_DIR / [ui] web_dir at a copy of Sources/WhatsAgentServer/Web"]
            )
        }
        guard let web else {
            logger.warning(
                "no web folder found: the web UI answers 503 until one is installed",
                metadata: ["hint": "run `make build` in the source checkout or set WHATSAGENT_WEB_DIR, then restart the daemon"]
            )
            return
        }
        logger.info("serving the web UI", metadata: ["web_dir": "\(web.path)", "source": "\(web.source.rawValue)", "xterm": "\(web.hasXterm)"])
    }

    /// Closes every database so the WAL is checkpointed and nothing is left half-open.
    private static func close(_ workspaces: WorkspaceService, _ registry: DaemonDatabase, logger: Logger) async {
        await workspaces.closeAll()
        do {
            try await registry.close()
        } catch {
            logger.warning("closing daemon.sqlite failed", metadata: ["error": "\(error)"])
        }
    }

    /// Turns a listener failure into a message that names the address and the fix.
    private func startupFailure(_ error: any Error) -> any Error {
        if let error = error as? DomainError { return error }
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
            return DomainError(
                .bindFailed,
                "port \(self.configuration.port) on \(self.configuration.host) is already in use; pass --port N (0 picks a free port) or stop the program using it"
            )
        }
        return DomainError(.bindFailed, "cannot listen on \(self.configuration.host):\(self.configuration.port): \(text)")
    }

    static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
