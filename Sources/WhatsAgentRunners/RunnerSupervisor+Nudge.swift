import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// PTY nudges (SPEC §6.3, Codex and custom agents): when mail arrives, the daemon types one line into the agent's
/// terminal once its output has been quiet for the plan's idle time and nobody typed into it recently (a human
/// draft may be in progress). Until then the session shows `pendingNudge`; the daemon keeps looking for a quiet
/// moment for `pendingNudgeLimit`, then leaves the flag to the UI.
///
/// Never into a prompt (docs/security.md, "Typed nudges"): while the runner sees a prompt on screen (a y/n question,
/// a numbered approval with the cursor on "1. Allow"), nothing is typed and the nudge waits for as long as the prompt
/// shows. The runner itself re-checks right before writing the text and again before the Enter
/// (`inputUnlessPrompt`), and the line starts with a key no menu takes.
extension RunnerSupervisor {
    /// What one attempt to type the pending nudge came to.
    enum NudgeAttempt: Equatable {
        /// Typed, no longer needed, or switched off: nothing more to do.
        case settled
        /// Not now (output or the human not quiet yet, typing failed): try again until the limit.
        case wait
        /// A prompt is on screen: try again for as long as it shows.
        case promptShown
    }

    /// The line typed into the terminal (then Enter). It starts with `[`, which no y/n prompt or menu takes as an
    /// answer, and holds no digit (a digit picks an option in numbered menus) — the count is in `check_messages`.
    static func nudgeText(count: Int) -> String {
        count == 1
            ? "[WhatsAgent] new message waiting — call check_messages"
            : "[WhatsAgent] new messages waiting — call check_messages"
    }

    /// Mail for `runner`: a typed nudge, or a turn through Codex's app-server (`RunnerSupervisor+AppServer`).
    func mailArrived(_ runner: ManagedRunner, count: Int) async {
        switch runner.push {
        case .ptyNudge(let idle): await self.mailArrived(runner, count: count, typedIdle: idle)
        case .appServer(let socket, let status, let idle):
            await self.appServerMailArrived(runner, count: count, socket: socket, status: status, idle: idle)
        case .mcpNotification, .plugin, .extension, .none: return
        }
    }

    /// The typed nudge: typed once the terminal is quiet for `idle`, retried until the pending limit.
    func mailArrived(_ runner: ManagedRunner, count: Int, typedIdle idle: Duration) async {
        guard !(await runner.finished) else { return }
        await runner.setPending(count)
        if await self.tryNudge(runner, idle: idle) == .settled { return }
        await self.registry.setPendingNudge(true, session: runner.sessionID)
        guard await runner.recheck == nil else { return }
        let interval = self.configuration.pendingNudgeInterval
        let limit = self.configuration.pendingNudgeLimit
        await runner.setRecheck(
            Task {
                var deadline = ContinuousClock.now.advanced(by: limit)
                waiting: while ContinuousClock.now < deadline, !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    switch await self.tryNudge(runner, idle: idle) {
                    case .settled: break waiting
                    case .promptShown: deadline = ContinuousClock.now.advanced(by: limit)
                    case .wait: continue
                    }
                }
                await runner.setRecheck(nil)
            }
        )
    }

    /// Types the pending nudge when the terminal is quiet and shows no prompt.
    func tryNudge(_ runner: ManagedRunner, idle: Duration) async -> NudgeAttempt {
        guard !(await runner.finished), let count = await runner.pendingCount else { return .settled }
        switch await self.nudgeMode(runner) {
        case nil:  // pushes switched off since the mail arrived: no nudge, no flag
            await self.clearPending(runner)
            return .settled
        case .flagOnly?: return await self.holdNudge(runner) ? .settled : .wait
        case .type?: break
        }
        guard await runner.lastOutputAt.duration(to: .now) >= idle else { return .wait }
        guard let info = try? await runner.connection.requestInfo(), info.exit == nil else { return .wait }
        if info.prompt != nil { return .promptShown }
        if let input = info.lastInputAt, Date().timeIntervalSince(input) < Double(self.configuration.humanQuiet.components.seconds) {
            // Input within the quiet period: the daemon's previous nudge, or a human's draft.
            let ours = await runner.lastNudgeAt.map { input.timeIntervalSince($0) < 0.1 } ?? false
            if !ours { return .wait }
        }
        return await self.typeNudge(runner, count: count)
    }

    /// Types the nudge for the mail still waiting (none left: clears the pending flag), each part only while the
    /// runner sees no prompt. A runner that cannot check (it predates `inputUnlessPrompt`) gets nothing typed.
    func typeNudge(_ runner: ManagedRunner, count: Int) async -> NudgeAttempt {
        guard runner.connection.info.guardsInput == true else { return .wait }
        // The agent may have read its mail in the meantime (pending nudges are typed later).
        let waiting = (try? await self.sessions.waitingMailCount(workspace: runner.workspaceID, session: runner.sessionID)) ?? count
        guard waiting > 0 else {
            await self.clearPending(runner)
            return .settled
        }
        do {
            // Text and Enter apart: terminal UIs read a fast burst ending in Enter as a paste.
            let text = try await runner.connection.send(inputUnlessPrompt: Array(Self.nudgeText(count: waiting).utf8))
            if text.prompt != nil { return .promptShown }
            guard text.exit == nil else { return .wait }
            try await Task.sleep(for: .milliseconds(150))
            let enter = try await runner.connection.send(inputUnlessPrompt: [0x0D])
            if let prompt = enter.prompt {
                // A prompt came up between the two: its Enter is held back; the whole line is typed again later.
                self.logger.notice(
                    "a prompt appeared while a nudge was typed; its Enter was not sent",
                    metadata: ["session.id": "\(runner.sessionID)", "prompt": "\(prompt)"]
                )
                return .promptShown
            }
            guard enter.exit == nil else { return .wait }
        } catch {
            return .wait
        }
        await runner.noteNudge()
        try? await self.pushes?.pushed(workspace: runner.workspaceID, session: runner.sessionID, path: .typed)  // issue 16
        await self.clearPending(runner)
        return .settled
    }

    func clearPending(_ runner: ManagedRunner) async {
        await runner.setPending(nil)
        await self.registry.setPendingNudge(false, session: runner.sessionID)
    }
}

extension ManagedRunner {
    func setPending(_ count: Int?) {
        self.pendingCount = count
    }

    func setRecheck(_ task: Task<Void, Never>?) {
        self.recheck = task
    }
}
