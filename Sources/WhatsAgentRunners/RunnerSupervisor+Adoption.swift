import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// Re-adoption at daemon start (SPEC §2, §15): runners outlive the daemon. For every live managed session the
/// runner's metadata file says whether it still runs; a live one is reconnected with the stored secret (the session
/// stays live, output flows again), a dead or exited one ends the session with the recorded exit or "runner gone
/// while the daemon was down". Runner files without a live session are leftovers: their runner is stopped.
extension RunnerSupervisor {
    /// Re-adopts the runners of every active workspace. Runs once, before the daemon serves requests.
    public func adoptAll() async {
        let summaries = (try? await self.workspaces.list()) ?? []
        for summary in summaries where summary.workspace.status == .active {
            await self.adopt(workspace: summary.workspace.id)
        }
    }

    func adopt(workspace: WorkspaceID) async {
        guard let runDirectory = await self.workspaces.runDirectory(workspace) else { return }
        let live: [SessionDetail]
        do {
            live = try await self.sessions.liveManagedSessions(workspace: workspace)
        } catch {
            self.logger.warning("cannot list managed sessions", metadata: ["workspace.id": "\(workspace)", "error": "\(error)"])
            return
        }
        var adopted = Set<String>()
        for detail in live {
            let files = RunnerFileSet(directory: runDirectory, sessionID: detail.session.id.rawValue)
            adopted.insert(files.stem)
            await self.adopt(detail, files: files, workspace: workspace)
        }
        for stem in RunnerFileSet.stems(in: runDirectory) where !adopted.contains(stem) {
            let files = RunnerFileSet(directory: runDirectory, stem: stem)
            if let metadata = try? RunnerMetadata.read(from: files.metadata), metadata.isRunnerAlive {
                self.logger.warning("stopping a runner without a live session", metadata: ["runner.pid": "\(metadata.runnerPID)"])
                kill(metadata.runnerPID, SIGTERM)
            }
            files.removeAll()
        }
    }

    private func adopt(_ detail: SessionDetail, files: RunnerFileSet, workspace: WorkspaceID) async {
        let session = detail.session
        let metadata = try? RunnerMetadata.read(from: files.metadata)
        let secret = files.readSecret()
        var failure: String?
        if let metadata, metadata.exit == nil, metadata.isRunnerAlive, let secret {
            do {
                let connection = try await RunnerConnection.connect(socketPath: metadata.socketPath, secret: secret)
                let runner = ManagedRunner(
                    workspaceID: workspace,
                    sessionID: session.id,
                    agentAddress: session.agentAddress,
                    connection: connection,
                    files: files,
                    push: await self.pushStrategy(workspace: workspace, address: session.agentAddress, files: files)
                )
                await self.watch(runner, info: connection.info)
                self.logger.info(
                    "runner re-adopted",
                    metadata: ["agent": "\(session.agentAddress)", "session.id": "\(session.id)", "runner.pid": "\(metadata.runnerPID)"]
                )
                return
            } catch TerminalError.versionMismatch(let runnerVersion, let clientVersion) {
                failure =
                    "its runner was started by another WhatsAgent version (runner protocol \(runnerVersion), this daemon \(clientVersion)) and cannot be re-adopted; it was stopped — start it again with `whatsagent agent launch \(session.agentAddress)`"
            } catch {
                failure = "its runner could not be re-adopted (\(error)); it was stopped"
            }
        }
        let exit: SessionExit
        if let recorded = metadata?.exit {
            exit = SessionExit(
                reason: "\(recorded) while the daemon was down",
                code: recorded.code,
                signal: recorded.signal,
                tail: metadata?.tailPath.flatMap { FileManager.default.contents(atPath: $0) } ?? files.readTail()
            )
        } else if let failure {
            exit = SessionExit(reason: failure, tail: files.readTail())
        } else {
            exit = SessionExit(reason: "runner gone while the daemon was down", tail: files.readTail())
        }
        // A runner still lingering after its child exited is told the exit was recorded (it exits at once); one that
        // could not be re-adopted is stopped.
        if let metadata, metadata.isRunnerAlive {
            if metadata.exit != nil, let secret,
                let connection = try? await RunnerConnection.connect(socketPath: metadata.socketPath, secret: secret)
            {
                try? await connection.acknowledgeExit()
                await connection.close()
            } else {
                kill(metadata.runnerPID, SIGTERM)
            }
        }
        if let child = metadata?.childPID ?? detail.childPID, child > 0, ProcessTree.isAlive(child) { kill(-child, SIGKILL) }
        do {
            try await self.sessions.endManaged(workspace: workspace, session: session.id, exit: exit)
            self.logger.info(
                "managed session ended while the daemon was down",
                metadata: ["agent": "\(session.agentAddress)", "reason": "\(exit.reason)"]
            )
        } catch {
            self.logger.warning("cannot end a session", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
        }
        files.removeAll()
    }

    /// The push strategy of a re-adopted session (the launch plan is not stored): a Codex whose `codex-attach` plan is
    /// in the run folder is behind its app-server; other Codex and custom agents with pushes on get PTY nudges; the
    /// other runtimes deliver pushes themselves.
    func pushStrategy(workspace: WorkspaceID, address: String, files: RunnerFileSet) async -> PushStrategy {
        guard let parsed = try? AgentAddress(parsing: address),
            let agent = try? await self.agents.show(workspace: workspace.rawValue, parsed),
            agent.pushEnabled, agent.runtime == .codex || agent.runtime == .custom
        else { return .none }
        let idle = PushSettings().nudgeIdle ?? .seconds(1)
        if agent.runtime == .codex, let plan = try? CodexAttachPlan.read(from: files.codexAttachPlan) {
            return .appServer(socket: plan.socket, status: plan.status, fallbackIdle: idle)
        }
        return .ptyNudge(idle: idle)
    }
}
