import WhatsAgentAPI
import WhatsAgentCore

extension AgentToolDispatcher {
    /// Each peer's push path and warning (SPEC §7.2), the same derivation as `agent show`.
    func peerPushes(_ identity: AgentIdentity, _ peers: [Peer]) async throws -> [AgentID: AgentPushStatus] {
        let workspace = identity.workspace.id.rawValue
        let latest = try await self.services.sessions.latestSessions(workspace: workspace, withTail: false)
        return try await self.services.pushes.statuses(workspace: workspace, agents: peers.map(\.agent), sessions: latest)
    }

    /// `, push channel` (and `, pushes unconfirmed` while the daemon warns) for a `list_peers` line.
    static func describePush(_ status: AgentPushStatus?) -> String {
        guard let status else { return "" }
        return ", push \(status.path.rawValue)" + (status.warning == nil ? "" : " (pushes unconfirmed)")
    }
}
