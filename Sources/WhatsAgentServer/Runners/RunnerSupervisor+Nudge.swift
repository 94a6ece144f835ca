import Foundation
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// PTY nudges (SPEC §6.3, Codex and custom agents): when mail arrives, the daemon types one line into the agent's
/// terminal once its output has been quiet for the plan's idle time and nobody typed into it recently (a human
/// draft may be in progress). Until then the session shows `pendingNudge`; the daemon keeps looking for a quiet
/// moment for `pendingNudgeLimit`, then leaves the flag to the UI.
extension RunnerSupervisor {
    /// The line typed into the terminal (then Enter).
    static func nudgeText(count: Int) -> String {
        count == 1
            ? "You have 1 WhatsAgent message waiting — call check_messages"
            : "You have \(count) WhatsAgent messages waiting — call check_messages"
    }

    func mailArrived(_ runner: ManagedRunner, count: Int) async {
        guard case .ptyNudge(let idle) = runner.push, !(await runner.finished) else { return }
        await runner.setPending(count)
        if await self.tryNudge(runner, idle: idle) { return }
        await self.registry.setPendingNudge(true, session: runner.sessionID)
        guard await runner.recheck == nil else { return }
        let interval = self.configuration.pendingNudgeInterval
        let deadline = ContinuousClock.now.advanced(by: self.configuration.pendingNudgeLimit)
        await runner.setRecheck(
            Task {
                while ContinuousClock.now < deadline, !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if await self.tryNudge(runner, idle: idle) { break }
                }
                await runner.setRecheck(nil)
            }
        )
    }

    /// Types the pending nudge when the terminal is quiet. Returns false when it has to wait.
    func tryNudge(_ runner: ManagedRunner, idle: Duration) async -> Bool {
        guard !(await runner.finished), let count = await runner.pendingCount else { return true }
        switch await self.nudgeMode(runner) {
        case nil:  // pushes switched off since the mail arrived: no nudge, no flag
            await self.clearPending(runner)
            return true
        case .flagOnly?: return await self.holdNudge(runner)
        case .type?: break
        }
        guard await runner.lastOutputAt.duration(to: .now) >= idle else { return false }
        guard let info = try? await runner.connection.requestInfo(), info.exit == nil else { return false }
        if let input = info.lastInputAt, Date().timeIntervalSince(input) < Double(self.configuration.humanQuiet.components.seconds) {
            // Input within the quiet period: the daemon's previous nudge, or a human's draft.
            let ours = await runner.lastNudgeAt.map { input.timeIntervalSince($0) < 0.1 } ?? false
            if !ours { return false }
        }
        return await self.typeNudge(runner, count: count)
    }

    /// Types the nudge for the mail still waiting (none left: clears the pending flag). False when typing failed.
    func typeNudge(_ runner: ManagedRunner, count: Int) async -> Bool {
        // The agent may have read its mail in the meantime (pending nudges are typed later).
        let waiting = (try? await self.sessions.waitingMailCount(workspace: runner.workspaceID, session: runner.sessionID)) ?? count
        guard waiting > 0 else {
            await self.clearPending(runner)
            return true
        }
        do {
            // Text and Enter apart: terminal UIs read a fast burst ending in Enter as a paste.
            try await runner.connection.send(input: Array(Self.nudgeText(count: waiting).utf8))
            try await Task.sleep(for: .milliseconds(150))
            try await runner.connection.send(input: [0x0D])
        } catch {
            return false
        }
        await runner.noteNudge()
        await self.clearPending(runner)
        return true
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
