import Foundation
import Logging
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

extension RunnerSupervisor {
    /// Registers a connected runner and watches it: output moves the idle clock, attention raises the flag, the
    /// child's exit ends the session; mail for a PTY-nudged agent becomes a nudge, for a Codex behind its app-server a
    /// turn.
    func watch(_ runner: ManagedRunner, info: RunnerInfo) async {
        self.runners[runner.sessionID] = runner
        await self.registry.register(
            runner.sessionID,
            RunnerRegistry.Entry(
                workspaceID: runner.workspaceID,
                agentAddress: runner.agentAddress,
                runnerPID: info.runnerPID,
                childPID: info.childPID,
                attention: info.attention
            )
        )
        // Live output only: the daemon needs no replay (viewers subscribe on their own connections).
        let events = runner.connection.subscribe(fromOffset: info.endOffset)
        Task { await self.follow(runner, events: events) }
        switch runner.push {
        case .ptyNudge: break
        case .appServer(_, let status, _): Task { await self.followAttachStatus(runner, status: status) }
        case .mcpNotification, .plugin, .extension, .none: return
        }
        let (mail, key) = await self.hub.observe(runner.sessionID)
        Task {
            for await event in mail {
                if case .mail(let hint) = event { await self.mailArrived(runner, count: hint.count) }
            }
            await self.hub.stopObserving(runner.sessionID, key: key)
        }
    }

    private func follow(_ runner: ManagedRunner, events: AsyncThrowingStream<RunnerEvent, any Error>) async {
        var exit: PTYExitStatus?
        do {
            for try await event in events {
                switch event {
                case .output: await runner.noteOutput()
                case .attention(let phrase): await self.registry.setAttention(phrase, session: runner.sessionID)
                case .exited(let status): exit = status
                case .subscribed, .resized: break
                }
            }
        } catch {
            self.logger.debug("runner connection ended", metadata: ["session.id": "\(runner.sessionID)", "error": "\(error)"])
        }
        await self.finished(runner, exit: exit)
    }

    /// The watch of `runner` ended: the child exited, the runner died, or the daemon let go of it.
    private func finished(_ runner: ManagedRunner, exit: PTYExitStatus?) async {
        if self.runners[runner.sessionID] === runner { self.runners[runner.sessionID] = nil }
        if await runner.detached || self.shuttingDown {
            await runner.finish()
            return
        }
        let entry = await self.registry.entry(runner.sessionID)
        if exit == nil, let entry, ProcessTree.isAlive(entry.runnerPID), let secret = runner.files.readSecret(),
            let connection = try? await RunnerConnection.connect(socketPath: runner.files.socket, secret: secret)
        {
            // The connection dropped but the runner lives (it dropped a slow reader): watch it again.
            let again = ManagedRunner(
                workspaceID: runner.workspaceID,
                sessionID: runner.sessionID,
                agentAddress: runner.agentAddress,
                connection: connection,
                files: runner.files,
                push: runner.push
            )
            if await runner.stopRequested { await again.requestStop() }
            await self.watch(again, info: connection.info)
            await runner.finish()
            return
        }
        let outcome = await self.outcome(runner, exit: exit, childPID: entry?.childPID)
        do {
            if let ended = try await self.sessions.endManaged(workspace: runner.workspaceID, session: runner.sessionID, exit: outcome) {
                self.logger.info("managed session ended", metadata: ["agent": "\(ended.agentAddress)", "reason": "\(outcome.reason)"])
            }
        } catch {
            self.logger.warning("cannot record the end of a session", metadata: ["session.id": "\(runner.sessionID)", "error": "\(error)"])
        }
        if exit != nil { try? await runner.connection.acknowledgeExit() }
        await runner.connection.close()
        runner.files.removeAll()
        await runner.finish()
    }

    /// Why the session ended, with the exit status and the saved tail when there are.
    private func outcome(_ runner: ManagedRunner, exit: PTYExitStatus?, childPID: Int32?) async -> SessionExit {
        if let exit {
            let reason = await runner.stopRequested ? "stopped by the human (\(exit))" : exit.description
            return SessionExit(reason: reason, code: exit.code, signal: exit.signal, tail: runner.files.readTail())
        }
        // The runner is gone without reporting: it was killed (kill -9) or crashed. Its child lost its terminal;
        // make sure nothing of the session keeps running.
        if let childPID, childPID > 0, ProcessTree.isAlive(childPID) { kill(-childPID, SIGKILL) }
        if let metadata = try? RunnerMetadata.read(from: runner.files.metadata), let recorded = metadata.exit {
            return SessionExit(reason: recorded.description, code: recorded.code, signal: recorded.signal, tail: runner.files.readTail())
        }
        return SessionExit(reason: "the runner died (killed or crashed); the agent lost its terminal", tail: runner.files.readTail())
    }
}
