import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes

/// Mail for a managed Codex behind its app-server (docs/codex-app-server.md): the daemon, a second client of that
/// app-server, starts a turn with the hint when the TUI's thread is idle and steers the running turn when it is busy
/// — no keystroke reaches the terminal. When `codex-attach` recorded that the app-server did not come up, the
/// session takes the typed nudge instead (`RunnerSupervisor+Nudge`). Until the TUI has a thread the hint waits, and
/// is retried like a pending nudge.
extension RunnerSupervisor {
    /// What one app-server push attempt came to.
    enum AppServerAttempt: Equatable {
        case settled
        case wait
        /// The app-server is not in use for this session: type the nudge.
        case typed
    }

    func appServerMailArrived(_ runner: ManagedRunner, count: Int, socket: String, status: String, idle: Duration) async {
        await runner.setPending(count)
        switch await self.tryAppServerPush(runner, socket: socket, status: status) {
        case .settled: return
        case .typed:
            await runner.setPending(nil)
            await self.mailArrived(runner, count: count, typedIdle: idle)
            return
        case .wait: break
        }
        guard await runner.recheck == nil else { return }
        let (interval, limit) = (self.configuration.pendingNudgeInterval, self.configuration.pendingNudgeLimit)
        await runner.setRecheck(
            Task {
                let deadline = ContinuousClock.now.advanced(by: limit)
                waiting: while ContinuousClock.now < deadline, !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    switch await self.tryAppServerPush(runner, socket: socket, status: status) {
                    case .settled: break waiting
                    case .wait: continue
                    case .typed:
                        let pending = await runner.pendingCount
                        await runner.setPending(nil)
                        await runner.setRecheck(nil)
                        if let pending { await self.mailArrived(runner, count: pending, typedIdle: idle) }
                        return
                    }
                }
                await runner.setRecheck(nil)
            }
        )
    }

    /// One attempt: the path `codex-attach` recorded, then the hint through the app-server for the mail still waiting.
    func tryAppServerPush(_ runner: ManagedRunner, socket: String, status: String) async -> AppServerAttempt {
        guard !(await runner.finished), await runner.pendingCount != nil else { return .settled }
        guard let recorded = CodexAttachStatus.read(from: status) else { return .wait }  // codex-attach still starting
        await self.noteAttachPath(runner, recorded)
        guard recorded.path == .appServer else { return .typed }
        let waiting = (try? await self.sessions.waitingMailCount(workspace: runner.workspaceID, session: runner.sessionID)) ?? 1
        guard waiting > 0 else {
            await runner.setPending(nil)
            return .settled
        }
        // One push at a time per session: mail arriving meanwhile is covered by it (the hint says to call
        // check_messages, which returns everything waiting then); a push that fails leaves the count pending.
        guard await runner.beginAppServerPush() else { return .settled }
        let link = await runner.codexLink(socket: socket)
        do {
            let receipt = try await link.push(Self.nudgeText(count: waiting))
            await runner.endAppServerPush()
            await runner.setPending(nil)
            await self.appServerPushConfirmed(runner, receipt)
            return .settled
        } catch {
            await runner.endAppServerPush()
            if await runner.noteAppServerWait("\(error)") {
                self.logger.info("app-server push waits", metadata: ["session.id": "\(runner.sessionID)", "reason": "\(error)"])
            }
            return .wait
        }
    }
}

extension ManagedRunner {
    /// The daemon's app-server connection for this session (made on first use).
    func codexLink(socket: String) -> CodexAppServerLink {
        if let link = self.appServerLink { return link }
        let link = CodexAppServerLink(socketPath: socket)
        self.appServerLink = link
        return link
    }

    /// Marks an app-server push in flight; false when one already is.
    func beginAppServerPush() -> Bool {
        guard !self.appServerPushing else { return false }
        self.appServerPushing = true
        return true
    }

    func endAppServerPush() {
        self.appServerPushing = false
    }

    /// Whether `reason` differs from the last reason an app-server push waited for (logged once each).
    func noteAppServerWait(_ reason: String) -> Bool {
        guard self.appServerWait != reason else { return false }
        self.appServerWait = reason
        return true
    }

    func noteAttachPath(_ status: CodexAttachStatus) -> Bool {
        guard self.attachPath != status else { return false }
        self.attachPath = status
        return true
    }
}

extension RunnerSupervisor {
    /// A Codex launched behind its app-server: once `codex-attach` recorded its path (within its start timeout), the
    /// session's push path is set — `app-server`, or `typed` with the reason — so `agent show` says it before any mail.
    /// While the path is `app-server` the status stays followed: when the app-server stops mid-session, `codex-attach`
    /// rewrites it `typed` (plain `codex` took the terminal over) and the session's push path follows, mail or not.
    func followAttachStatus(_ runner: ManagedRunner, status: String) async {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var recorded: CodexAttachStatus?
        while !(await runner.finished), recorded != nil || ContinuousClock.now < deadline {
            if let now = CodexAttachStatus.read(from: status), now != recorded {
                await self.noteAttachPath(runner, now)
                recorded = now
                if now.path == .typed { return }  // nothing brings the app-server back within this session
            }
            try? await Task.sleep(for: self.configuration.pendingNudgeInterval)
        }
    }

    /// The push path (and its reason) a status of `codex-attach` gives the session.
    static func attachPushPath(_ status: CodexAttachStatus) -> (MessagePushPath, String?) {
        switch status.path {
        case .appServer: return (.appServer, nil)
        case .typed where status.duringSession == true:
            return (
                .typed,
                "Codex's app-server stopped during the session (\(status.reason ?? "no reason given")); Codex went on "
                    + "without it, so mail is typed until the agent is relaunched"
            )
        case .typed: return (.typed, "Codex's app-server did not start (\(status.reason ?? "no reason given")); mail is typed")
        }
    }

    /// The path `codex-attach` took: logged and recorded as the session's push path, once per status it writes.
    func noteAttachPath(_ runner: ManagedRunner, _ status: CodexAttachStatus) async {
        guard await runner.noteAttachPath(status) else { return }
        let (path, reason) = Self.attachPushPath(status)
        switch status.path {
        case .appServer:
            self.logger.info("codex behind its app-server", metadata: ["session.id": "\(runner.sessionID)"])
        case .typed:
            self.logger.notice(
                status.duringSession == true ? "codex lost its app-server: mail is typed" : "codex without its app-server: mail is typed",
                metadata: ["session.id": "\(runner.sessionID)", "reason": "\(status.reason ?? "")"]
            )
        }
        do {
            try await self.pushes?.usePath(path, reason: reason, workspace: runner.workspaceID, session: runner.sessionID)
            self.hub.bus.publish(.agentsChanged, workspace: runner.workspaceID)
        } catch {
            self.logger.warning("cannot record the push path", metadata: ["session.id": "\(runner.sessionID)", "error": "\(error)"])
        }
    }

    /// The app-server reported the turn the daemon started or steered: the push went out and is confirmed.
    func appServerPushConfirmed(_ runner: ManagedRunner, _ receipt: CodexPushReceipt) async {
        let how =
            switch receipt {
            case .started: "started"
            case .steered: "steered"
            }
        self.logger.info(
            "app-server push confirmed",
            metadata: ["session.id": "\(runner.sessionID)", "turn": "\(receipt.turn)", "push": "\(how)"]
        )
        guard let pushes = self.pushes else { return }
        do {
            try await pushes.pushed(workspace: runner.workspaceID, session: runner.sessionID, path: .appServer)
            try await pushes.confirmPush(workspace: runner.workspaceID, session: runner.sessionID, path: .appServer)
        } catch {
            self.logger.warning("cannot record the push", metadata: ["session.id": "\(runner.sessionID)", "error": "\(error)"])
        }
    }
}
