import Foundation

/// What a muted agent is told (every use case reads the mute inside its transaction, ``MessagingStore``), and pushes
/// turned back on.
extension MessageService {
    /// What a muted agent is told: who muted it, what is refused, and what to do instead.
    static func mutedText(_ address: String) -> String {
        "the human muted you (\(address)): your direct messages, broadcasts, channel posts, board comments, task and epic text (creating items, titles, details, GitHub fields) and set_summary are refused until the human unmutes you; stop sending, carry on with your own work (check_messages and update_kanban_task_status still work), and wait for the human"
    }

    /// Pushes a hint for everything waiting for an agent (after its pushes are turned back on).
    public func pushWaiting(workspace reference: String?, agent address: AgentAddress) async throws {
        let (_, store) = try await self.workspaces.messagingStore(for: reference)
        try await self.pushWaiting(to: [try await store.agent(at: address).id], store)
    }
}
