import Foundation
import WhatsAgentAPI
import WhatsAgentCore

extension AgentSessionResponse {
    /// The API view of a session row plus what the daemon knows live: presence, the runner, attention, a pending
    /// nudge. The output tail only when `withTail` (single-agent views, not lists).
    package init(_ detail: SessionDetail, sessions: SessionService, withTail: Bool) async {
        let entry = detail.isLive ? await sessions.runners.entry(detail.session.id) : nil
        let online = detail.isLive ? await sessions.isOnline(detail.session) : false
        self.init(
            id: detail.session.id.rawValue,
            kind: detail.session.kind.rawValue,
            startedAt: detail.session.startedAt,
            endedAt: detail.endedAt,
            endReason: detail.endReason,
            online: online,
            runnerAlive: detail.session.kind == .managed ? entry != nil : nil,
            runnerPid: entry?.runnerPID ?? (detail.isLive ? detail.runnerPID : nil),
            childPid: entry?.childPID ?? (detail.isLive ? detail.childPID : nil),
            attention: entry?.attention,
            pendingNudge: entry?.pendingNudge ?? false,
            exitCode: detail.exitCode,
            exitSignal: detail.exitSignal,
            exitTail: withTail ? detail.exitTail.map { String(decoding: $0, as: UTF8.self) } : nil,
            summary: detail.session.summary
        )
    }
}

extension RunnerSupervisor {
    /// The API view of a session: presence, runner, attention, pending nudge, exit.
    func response(_ detail: SessionDetail, withTail: Bool) async -> AgentSessionResponse {
        await AgentSessionResponse(detail, sessions: self.sessions, withTail: withTail)
    }
}
