import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// A managed Claude's channel pushes, confirmed (SPEC §6.3, §7.2; issue 16): a channel push that no `check_messages`
/// follows within `[push] confirm_seconds`, while the terminal is idle and shows no prompt, did not reach the model
/// (channels unavailable: `DISABLE_TELEMETRY=1`, no feature flag, …). The daemon then falls back to the typed nudge
/// for that session — its push path becomes `typed`, with the reason — and later mail is nudged as soon as the
/// terminal is quiet. A later channel push confirmed before any nudge was typed returns the session to `channel`
/// (``SessionPush``). External Claude sessions only get the warning (``AgentPushStatus``).
///
/// The typing itself is the typed nudge's (``typeNudge(_:count:)``): never into a prompt, never over a human's draft.
extension RunnerSupervisor {
    /// A channel push went out to managed session `session`: follow it until it is confirmed, or fall back.
    package func channelPushed(_ session: SessionID, count: Int, pushes: PushConfirmationService) async {
        guard let runner = self.runners[session], !(await runner.finished) else { return }
        await runner.openChannelWatch(count) {
            // The actor method is synchronous; the watch runs on its own until there is nothing left to follow.
            Task { await self.followChannelPush(runner, pushes: pushes) }
        }
    }

    /// Until the pushes are confirmed (or nothing waits): past the confirmation time, types the nudge once the
    /// terminal is quiet with no prompt. Gives up `pendingNudgeLimit` after the confirmation time (a prompt on
    /// screen restarts that wait), leaving the warning up.
    private func followChannelPush(_ runner: ManagedRunner, pushes: PushConfirmationService) async {
        let idle = PushSettings().nudgeIdle ?? .seconds(1)
        let within = Self.seconds(pushes.confirmWithin)
        let limit = Self.seconds(self.configuration.pendingNudgeLimit)
        var promptSeen: Date?
        while !Task.isCancelled {
            try? await Task.sleep(for: self.configuration.pendingNudgeInterval)
            guard !Task.isCancelled, !(await runner.finished) else { return }
            let record = try? await pushes.record(workspace: runner.workspaceID, session: runner.sessionID)
            guard let record, let since = record.unconfirmedSince else {
                if await runner.closeChannelWatch() { return }
                continue
            }
            let fallingBack = record.path == .typed
            let waited = Date().timeIntervalSince(since)
            if !fallingBack, waited < within { continue }
            if waited > within + limit, Date().timeIntervalSince(promptSeen ?? since) > limit {
                if await runner.closeChannelWatch() { return }
                continue
            }
            switch await self.typeFallbackNudge(runner, pushes: pushes, since: since, fallingBack: fallingBack, idle: idle) {
            case .settled: if await runner.closeChannelWatch() { return }
            case .promptShown: promptSeen = Date()
            case .wait: continue
            }
        }
    }

    /// One attempt: the terminal must be quiet for `idle`, show no prompt and have no human draft in progress.
    private func typeFallbackNudge(
        _ runner: ManagedRunner,
        pushes: PushConfirmationService,
        since: Date,
        fallingBack: Bool,
        idle: Duration
    ) async -> NudgeAttempt {
        guard let address = try? AgentAddress(parsing: runner.agentAddress),
            let agent = try? await self.agents.show(workspace: runner.workspaceID.rawValue, address), agent.pushEnabled
        else { return .settled }
        guard await runner.lastOutputAt.duration(to: .now) >= idle else { return .wait }
        guard let info = try? await runner.connection.requestInfo(), info.exit == nil else { return .wait }
        if info.prompt != nil { return .promptShown }
        if let input = info.lastInputAt, Date().timeIntervalSince(input) < Self.seconds(self.configuration.humanQuiet) {
            // Input within the quiet period: the daemon's previous nudge, or a human's draft.
            let ours = await runner.lastNudgeAt.map { input.timeIntervalSince($0) < 0.1 } ?? false
            if !ours { return .wait }
        }
        if !fallingBack {
            let reason =
                "the channel push of \(since.formatted(.iso8601)) got no check_messages within "
                + "\(Int(Self.seconds(pushes.confirmWithin))) s while the terminal was idle with no prompt"
            do {
                try await pushes.usePath(.typed, reason: reason, workspace: runner.workspaceID, session: runner.sessionID)
            } catch {
                return .wait
            }
            self.logger.notice(
                "channel pushes unconfirmed; falling back to typed nudges",
                metadata: ["session.id": "\(runner.sessionID)", "agent": "\(runner.agentAddress)"]
            )
            self.hub.bus.publish(.agentsChanged, workspace: runner.workspaceID)
        }
        // Records the typed push itself (path typed), so a check_messages after it confirms the nudge, not the channel.
        return await self.typeNudge(runner, count: await runner.pendingCount ?? 1)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension ManagedRunner {
    /// A channel push went out: remembers it, and starts the watch with `start` unless one runs (it will see it).
    func openChannelWatch(_ count: Int, start: @Sendable () -> Task<Void, Never>) {
        self.pendingCount = count
        if self.recheck == nil { self.recheck = start() }
    }

    /// The watch has nothing left to do: it ends (true) unless a push came since it last looked (false: look again).
    func closeChannelWatch() -> Bool {
        if self.pendingCount != nil {
            self.pendingCount = nil
            return false
        }
        self.recheck = nil
        return true
    }
}
