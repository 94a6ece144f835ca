import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// Starts, watches, stops and re-adopts the runners of managed sessions (SPEC §2, §6.1, §12; docs/architecture.md
/// "Managed sessions").
///
/// ```swift
/// let launched = try await supervisor.launch(workspace: nil, address)   // opens the session, starts the runner
/// try await supervisor.stop(workspace: nil, address)                    // SIGTERM to the group, SIGHUP after 2 s, SIGKILL at 5 s
/// await supervisor.adoptAll()                                           // daemon start: reconnect live runners
/// await supervisor.detachAll()                                          // daemon stop: runners keep running
/// ```
/// A runner outlives the daemon; the daemon keeps one connection per runner, learns from it when the child exits
/// (the session then ends with the exit and the saved output tail) and types PTY nudges for Codex and custom agents.
public actor RunnerSupervisor {
    /// Tunables (tests shorten them).
    public struct Configuration: Sendable {
        /// Output kept by each runner (`[runner] buffer_bytes`).
        public var bufferBytes: Int
        /// SIGTERM → SIGKILL delay of a stop.
        public var stopGrace: Duration
        /// How long after the last human keystroke a nudge waits (a draft may be in progress).
        public var humanQuiet: Duration
        /// How long a pending nudge keeps waiting for a quiet moment before it is left to the UI.
        public var pendingNudgeLimit: Duration
        /// How often a pending nudge looks for that quiet moment.
        public var pendingNudgeInterval: Duration
        /// The environment agents start from (the daemon's, without session variables).
        public var baseEnvironment: [String: String]

        public init(
            bufferBytes: Int = RingBuffer.defaultCapacity,
            stopGrace: Duration = .seconds(5),
            humanQuiet: Duration = .seconds(3),
            pendingNudgeLimit: Duration = .seconds(120),
            pendingNudgeInterval: Duration = .milliseconds(250),
            baseEnvironment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.bufferBytes = bufferBytes
            self.stopGrace = stopGrace
            self.humanQuiet = humanQuiet
            self.pendingNudgeLimit = pendingNudgeLimit
            self.pendingNudgeInterval = pendingNudgeInterval
            self.baseEnvironment = baseEnvironment
        }
    }

    let workspaces: WorkspaceService
    let sessions: SessionService
    let agents: AgentService
    let repos: RepoService
    let runtimes: RuntimeSettingsService
    let hub: EventHub
    let executablePath: String
    /// Agents' git worktrees (issue 23): an agent with the switch on starts in its own worktree.
    let worktrees: WorktreeService?
    /// Where a session's push path, pushes and confirmations are recorded (issue 16); nil in tests that need none.
    let pushes: PushConfirmationService?
    public private(set) var configuration: Configuration
    var logger: Logger
    /// The runners watched right now, by session.
    var runners: [SessionID: ManagedRunner] = [:]
    var shuttingDown = false

    public init(
        workspaces: WorkspaceService,
        sessions: SessionService,
        agents: AgentService,
        repos: RepoService,
        runtimes: RuntimeSettingsService,
        hub: EventHub,
        executablePath: String,
        worktrees: WorktreeService? = nil,
        pushes: PushConfirmationService? = nil,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "whatsagent.runners")
    ) {
        self.workspaces = workspaces
        self.sessions = sessions
        self.agents = agents
        self.repos = repos
        self.runtimes = runtimes
        self.hub = hub
        self.executablePath = executablePath
        self.worktrees = worktrees
        self.pushes = pushes
        self.configuration = configuration
        self.logger = logger
    }

    /// Replaces the tunables (tests) and the logger (the daemon's).
    public func configure(_ configuration: Configuration? = nil, logger: Logger? = nil) {
        if let configuration { self.configuration = configuration }
        if let logger { self.logger = logger }
    }

    var registry: RunnerRegistry { self.sessions.runners }

    // MARK: - Launch

    /// Launches `address` in a managed session, or returns its live managed session.
    /// - Throws: `session_exists` (a live external session), `command_not_found`, `invalid_state` (the repo
    ///   directory is gone, or no daemon home), `launch_failed`.
    public func launch(workspace reference: String?, _ address: AgentAddress) async throws -> AgentLaunchResult {
        let (workspace, _) = try await self.workspaces.database(for: reference)
        let agent = try await self.agents.show(workspace: workspace.id.rawValue, address)
        if let existing = try await self.existingLaunch(workspace: workspace, address) { return existing }

        let repo = try await self.repo(of: agent, workspace: workspace)
        let runtime = agent.runtime
        let setting = try self.runtimes.setting(agent.runtime)
        let command = agent.command ?? setting.command ?? runtime.defaultCommand ?? ""
        do {
            _ = try ExecutableLookup(environment: self.configuration.baseEnvironment, workingDirectory: repo.path)
                .require(command, runtime: runtime)
        } catch let error as RuntimeError {
            guard agent.command != nil, case .commandNotFound = error else {
                throw DomainError(.commandNotFound, "cannot launch \(address): \(error.description)")
            }
            throw DomainError(
                .commandNotFound,
                "cannot launch \(address): its command \(command) \(command.contains("/") ? "does not exist or is not executable" : "is not on PATH"); install it or change it with `whatsagent agent set \(address) --command /path/to/program`"
            )
        }
        guard let runDirectory = await self.workspaces.runDirectory(workspace.id) else {
            throw DomainError(.invalidState, "managed sessions need a daemon home on disk; start the daemon with --home DIR")
        }
        let workingDirectory = try await self.workingDirectory(workspace: workspace, agent: agent, repo: repo)

        let opened = try await self.sessions.openManaged(workspace: workspace.id.rawValue, address)
        guard let grant = opened.grant else {
            if let existing = try await self.existingLaunch(workspace: workspace, address) { return existing }
            throw DomainError(.invalidState, "\(address) changed while launching; run `whatsagent agent launch \(address)` again")
        }
        let session = grant.session
        let files = RunnerFileSet(directory: runDirectory, sessionID: session.id.rawValue)
        var generated: [String] = []
        var launched: RunnerLauncher.Launched?
        do {
            let plan = try LaunchRecipes.plan(
                LaunchRequest(
                    runtime: runtime,
                    command: command,
                    arguments: setting.args + agent.args,
                    workingDirectory: workingDirectory,
                    sessionEnvironment: grant.environment,
                    mcpConfigPath: grant.mcpConfigPath ?? "",
                    whatsagentExecutable: self.executablePath,
                    prompt: Self.prompt(workspace: workspace, agent: agent),
                    push: PushSettings(enabled: agent.pushEnabled),
                    generatedDirectory: runDirectory,
                    fileStem: files.stem,
                    baseEnvironment: self.configuration.baseEnvironment,
                    codexAppServer: true
                )
            )
            generated = plan.files.map(\.path)
            try plan.writeFiles()
            let started = try await RunnerLauncher.launch(
                RunnerLauncher.Request(
                    executable: self.executablePath,
                    sessionID: session.id.rawValue,
                    socketPath: files.socket,
                    metadataPath: files.metadata,
                    tailPath: files.tail,
                    logPath: files.log,
                    command: plan.executable,
                    arguments: plan.arguments,
                    environment: plan.environment,
                    workingDirectory: plan.workingDirectory,
                    size: .default,
                    bufferBytes: self.configuration.bufferBytes,
                    stopGrace: self.configuration.stopGrace
                )
            )
            launched = started
            try files.writeSecret(started.secret)
            try await self.sessions.recordRunner(
                workspace: workspace.id,
                session: session.id,
                runnerPID: started.runnerPID,
                childPID: started.childPID,
                socket: files.socket
            )
            let connection = try await RunnerConnection.connect(socketPath: files.socket, secret: started.secret)
            await self.watch(
                ManagedRunner(
                    workspaceID: workspace.id,
                    sessionID: session.id,
                    agentAddress: address.description,
                    connection: connection,
                    files: files,
                    push: plan.push
                ),
                info: connection.info
            )
            self.logger.info(
                "agent launched",
                metadata: ["agent": "\(address)", "session.id": "\(session.id)", "runner.pid": "\(started.runnerPID)"]
            )
            let detail = try await self.sessions.detail(workspace: workspace.id, session: session.id)
            return AgentLaunchResult(
                agent: address.description,
                session: await self.response(detail ?? SessionDetail(session: session), withTail: true),
                alreadyRunning: false,
                command: plan.executable,
                args: plan.arguments
            )
        } catch {
            // Nothing may survive a failed launch: the runner (and its child), the files, the session.
            if let launched, ProcessTree.isAlive(launched.runnerPID) { kill(launched.runnerPID, SIGTERM) }
            let reason = "launch failed: \(error)"
            _ = try? await self.sessions.endManaged(workspace: workspace.id, session: session.id, exit: SessionExit(reason: reason))
            files.removeAll()
            Self.remove(generated)
            if let error = error as? DomainError { throw error }
            if let error = error as? RuntimeError {
                throw DomainError(.commandNotFound, "cannot launch \(address): \(error.description)")
            }
            throw DomainError(.launchFailed, "cannot launch \(address): \(error); see \(files.log)")
        }
    }

    /// The live session of `address` as a launch result: managed → returned, external → refused.
    private func existingLaunch(workspace: Workspace, _ address: AgentAddress) async throws -> AgentLaunchResult? {
        let (_, live) = try await self.sessions.liveDetail(workspace: workspace.id.rawValue, address)
        guard let live else { return nil }
        guard live.session.kind == .managed else {
            throw DomainError(
                .sessionExists,
                "\(address) has a live external session (\(live.session.id)); end it with `whatsagent agent disconnect \(address)` before launching it here"
            )
        }
        return AgentLaunchResult(agent: address.description, session: await self.response(live, withTail: false), alreadyRunning: true)
    }

    private func repo(of agent: Agent, workspace: Workspace) async throws -> Repo {
        guard let repo = try await self.repos.list(workspace: workspace.id.rawValue).first(where: { $0.id == agent.repoID }) else {
            throw DomainError.repoNotFound(agent.repoName)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repo.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DomainError(
                .invalidState,
                "the directory of repo \(repo.name) (\(repo.path)) no longer exists; restore it, or remove the repo with `whatsagent repo remove \(repo.name)` and add its new location"
            )
        }
        return repo
    }

    // MARK: - Stop

    /// Stops the managed session of `address`: SIGTERM to the agent's process group, SIGHUP after 2/5 of the grace, SIGKILL after the grace.
    /// Returns the session as it ended.
    /// - Throws: `invalid_state` when there is no live session (a second stop), or it is external.
    public func stop(workspace reference: String?, _ address: AgentAddress) async throws -> AgentStopResult {
        let (workspace, live) = try await self.sessions.liveDetail(workspace: reference, address)
        guard let live else {
            throw DomainError(
                .invalidState,
                "\(address) has no live session; it is already stopped (start it with `whatsagent agent launch \(address)`)"
            )
        }
        guard live.session.kind == .managed else {
            throw DomainError(
                .invalidState,
                "\(address) runs in an external session (\(live.session.id)) that WhatsAgent did not start; end it with `whatsagent agent disconnect \(address)`"
            )
        }
        await self.stop(live, workspace: workspace.id)
        let detail = try await self.sessions.detail(workspace: workspace.id, session: live.session.id) ?? live
        return AgentStopResult(agent: address.description, session: await self.response(detail, withTail: true))
    }

    /// Stops one managed session and waits until it ended (or ends it when its runner cannot be reached).
    func stop(_ live: SessionDetail, workspace: WorkspaceID) async {
        if let runner = self.runners[live.session.id] {
            await runner.requestStop()
            do {
                try await runner.connection.stop(grace: self.configuration.stopGrace)
                // The child's grace, then the grace of descendants it left behind (the runner ends them before it
                // reports the exit), then some slack.
                let limit = self.configuration.stopGrace * 2 + .seconds(5)
                let finished = await Self.wait(for: limit) { await runner.waitUntilFinished() }
                if finished { return }
                self.logger.warning("runner did not report the exit in time", metadata: ["session.id": "\(live.session.id)"])
            } catch {
                self.logger.warning("runner unreachable on stop", metadata: ["session.id": "\(live.session.id)", "error": "\(error)"])
            }
        }
        // No runner to ask: make sure nothing keeps running, then end the session.
        if let pid = live.runnerPID, ProcessTree.isAlive(pid) { kill(pid, SIGTERM) }
        _ = try? await self.sessions.endManaged(
            workspace: workspace,
            session: live.session.id,
            exit: SessionExit(reason: "stopped by the human (its runner could not be reached)")
        )
    }

    /// Stops the runners of sessions that were ended elsewhere (forced removal of an agent or repo).
    public func stopRunners(of ended: [LiveSession], workspace reference: String?) async {
        guard let (workspace, _) = try? await self.workspaces.database(for: reference) else { return }
        for session in ended where session.kind == .managed {
            if let detail = try? await self.sessions.detail(workspace: workspace.id, session: session.id) {
                await self.stop(detail, workspace: workspace.id)
            }
        }
    }

    /// Stops every managed session of one workspace (forced trash) or of all of them (`whatsagent stop --all`).
    /// Returns how many managed sessions it stopped.
    @discardableResult
    public func stopAll(workspace reference: String? = nil) async -> Int {
        let workspaces: [WorkspaceID]
        if let reference {
            guard let (workspace, _) = try? await self.workspaces.database(for: reference) else { return 0 }
            workspaces = [workspace.id]
        } else {
            workspaces = ((try? await self.workspaces.list()) ?? []).filter { $0.workspace.status == .active }.map(\.workspace.id)
        }
        return await withTaskGroup(of: Void.self) { group in
            var count = 0
            for workspace in workspaces {
                for live in (try? await self.sessions.liveManagedSessions(workspace: workspace)) ?? [] {
                    count += 1
                    group.addTask { await self.stop(live, workspace: workspace) }
                }
            }
            await group.waitForAll()
            return count
        }
    }

    /// Daemon shutdown: closes every runner connection; runners and their agents keep running, sessions stay live.
    public func detachAll() async {
        self.shuttingDown = true
        let runners = Array(self.runners.values)
        for runner in runners {
            await runner.detach()
            await runner.connection.close()
        }
        for runner in runners { _ = await Self.wait(for: .seconds(2)) { await runner.waitUntilFinished() } }
    }

    /// How to attach a terminal to the runner of `address` (owner only).
    public func terminalAccess(workspace reference: String?, _ address: AgentAddress) async throws -> AgentTerminalAccess {
        let (_, live) = try await self.sessions.liveDetail(workspace: reference, address)
        guard let live, live.session.kind == .managed, let socket = live.runnerSocket,
            let runner = self.runners[live.session.id]
        else {
            throw DomainError(
                .invalidState,
                "\(address) has no running managed session to attach to; start it with `whatsagent agent launch \(address)`"
            )
        }
        guard let secret = runner.files.readSecret() else {
            throw DomainError(.storage, "the runner secret of \(address) is missing; stop and relaunch the session")
        }
        return AgentTerminalAccess(
            agent: address.description,
            sessionId: live.session.id.rawValue,
            socketPath: socket,
            secret: secret,
            protocolVersion: RunnerProtocol.version
        )
    }

    // MARK: Helpers

    /// The system prompt of a launch: the workspace's colleague protocol (its own text, else the built-in one),
    /// then the agent's persona (SPEC §6.4).
    static func prompt(workspace: Workspace, agent: Agent) -> LaunchPrompt {
        LaunchPrompt(
            colleagueProtocol: workspace.colleagueProtocol ?? ColleagueProtocol.defaultText,
            persona: agent.persona
        )
    }

    static func remove(_ paths: [String]) {
        for path in paths.reversed() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs `body` with a time limit; false when the limit passed first.
    static func wait(for limit: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await body()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
