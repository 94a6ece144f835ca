import Foundation

/// Peer rules and mute in the send path (SPEC §7.1, §7.5).
extension MessageService {
    /// The peer-rule facts of a direct message: looked up only between two agents in the p2p topology (elsewhere the
    /// rules do not apply).
    func peerRuleCheck(
        _ workspace: Workspace,
        _ sender: MessageSender,
        _ recipient: Agent?,
        _ database: WorkspaceDatabase
    ) async throws -> PeerRuleCheck {
        guard workspace.topology == .p2p, case .agent(let identity) = sender, let recipient, recipient.id != identity.agent.id else {
            return .unrestricted
        }
        return try await database.peerRuleCheck(identity.agent.id, recipient.id)
    }

    /// The refusal of every send by a muted agent (read fresh from the database), nil otherwise and for the human.
    func muteRefusal(_ sender: MessageSender, _ database: WorkspaceDatabase) async throws -> String? {
        guard case .agent(let identity) = sender, try await database.isMuted(identity.agent.id) else { return nil }
        return Self.mutedText(identity.agent.address.description)
    }

    /// What a muted agent is told: who muted it, what is refused, and what to do instead.
    static func mutedText(_ address: String) -> String {
        "the human muted you (\(address)): your direct messages, broadcasts, channel posts, board comments, task and epic text (creating items, titles, details, GitHub fields) and set_summary are refused until the human unmutes you; stop sending, carry on with your own work (check_messages and update_kanban_task_status still work), and wait for the human"
    }

    /// Pushes a hint for everything waiting for an agent (after its pushes are turned back on).
    public func pushWaiting(workspace reference: String?, agent address: AgentAddress) async throws {
        let (_, database) = try await self.workspaces.database(for: reference)
        try await database.ensureSharedChannel(now: self.now())
        try await self.pushWaiting(to: try await database.agent(address), database)
    }
}
