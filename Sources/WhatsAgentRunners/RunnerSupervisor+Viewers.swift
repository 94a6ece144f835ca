import Foundation
import WhatsAgentCore
import WhatsAgentTerminal

/// Where a terminal viewer connects: the runner of one live managed session. The secret stays in the daemon — the
/// browser's terminal stream gets the bytes, never the runner's socket or secret.
package struct TerminalViewerTarget: Sendable {
    package let agent: String
    let workspaceID: WorkspaceID
    package let sessionID: SessionID
    let socketPath: String
    let secret: String

    /// Opens this viewer's own connection to the runner (one subscription per connection).
    package func connect() async throws -> RunnerConnection {
        try await RunnerConnection.connect(socketPath: self.socketPath, secret: self.secret, timeout: .seconds(5))
    }
}

extension RunnerSupervisor {
    /// The runner a terminal viewer of `address` connects to.
    /// - Throws: `agent_not_found`/`workspace_not_found`; `invalid_state` when the agent has no live managed session
    ///   (not launched, ended, or connected externally), saying what to do instead.
    package func viewerTarget(workspace reference: String?, _ address: AgentAddress) async throws -> TerminalViewerTarget {
        let (workspace, live) = try await self.sessions.liveDetail(workspace: reference, address)
        guard let live else {
            throw DomainError(
                .invalidState,
                "\(address) is not running, so it has no terminal to show; launch it with `whatsagent agent launch \(address)` (or the Launch button)"
            )
        }
        guard live.session.kind == .managed else {
            throw DomainError(
                .invalidState,
                "\(address) runs in an external session that WhatsAgent did not start, so its terminal is wherever it was started; disconnect it and launch it here to watch it in the browser"
            )
        }
        guard let runner = self.runners[live.session.id], let socket = live.runnerSocket else {
            throw DomainError(
                .invalidState,
                "the runner of \(address) is not reachable right now (it is starting, ending or being re-adopted); try again in a moment, or stop and relaunch the agent"
            )
        }
        guard let secret = runner.files.readSecret() else {
            throw DomainError(.storage, "the runner secret of \(address) is missing; stop and relaunch the session")
        }
        return TerminalViewerTarget(
            agent: address.description,
            workspaceID: workspace.id,
            sessionID: live.session.id,
            socketPath: socket,
            secret: secret
        )
    }

    /// The viewer's "type the pending nudge now": the human asked for it, so neither the output idle time nor the
    /// human-typing quiet period is waited for; a prompt on screen still is (a typed key could answer it). Returns
    /// false when no nudge is pending (or the session is gone), or it could not be typed now.
    package func typePendingNudgeNow(session: SessionID) async -> Bool {
        guard let runner = self.runners[session], !(await runner.finished), let count = await runner.pendingCount else {
            return false
        }
        return await self.typeNudge(runner, count: count) == .settled
    }
}
