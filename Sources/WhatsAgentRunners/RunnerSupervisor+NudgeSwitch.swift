import WhatsAgentCore
import WhatsAgentRuntimes

/// The per-agent nudge switches applied to a running session: `agent set --push` / `--nudge` take effect on the next
/// mail or pending-nudge check, without a relaunch.
extension RunnerSupervisor {
    /// The nudge mode of `runner` now, from the agent's current switches (nil: nothing is typed or flagged).
    func nudgeMode(_ runner: ManagedRunner) async -> NudgeMode? {
        guard let address = try? AgentAddress(parsing: runner.agentAddress),
            let agent = try? await self.agents.show(workspace: runner.workspaceID.rawValue, address)
        else { return nil }
        return runner.push.nudgeMode(pushEnabled: agent.pushEnabled, nudgeEnabled: agent.nudgeEnabled)
    }

    /// Nudges off: nothing is typed; the pending flag stays up while mail waits and comes down once the agent read it.
    /// Returns true when nothing waits any more.
    func holdNudge(_ runner: ManagedRunner) async -> Bool {
        let waiting = (try? await self.sessions.waitingMailCount(workspace: runner.workspaceID, session: runner.sessionID)) ?? 1
        guard waiting == 0 else { return false }
        await self.clearPending(runner)
        return true
    }
}
