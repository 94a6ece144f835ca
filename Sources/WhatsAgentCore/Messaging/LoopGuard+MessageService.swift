import Foundation

/// The human's view and release of the loop guard's holds (``LoopGuard``); the guard itself runs inside the send's
/// transaction (``MessagingStore/sendDirect(_:decide:)``).
extension MessageService {
    /// The pairs the loop guard holds now, oldest first, with their held messages.
    public func holds(workspace reference: String?) async throws -> [LoopHold] {
        try await self.workspaces.messagingStore(for: reference).1.loopHolds()
    }

    /// Releases a held pair (the human's decision): its held messages become queued in their original order and are
    /// pushed to the connected recipients, and the pair's counting window restarts now.
    /// - Returns: the released hold and how many messages it released.
    /// - Throws: `not_found` when the pair is not held; `agent_not_found` for an unknown agent.
    public func release(workspace reference: String?, _ first: String, _ second: String) async throws -> (hold: LoopHold, released: Int) {
        let (_, store) = try await self.workspaces.messagingStore(for: reference)
        let one = try await store.agent(at: try AgentAddress(parsing: first))
        let other = try await store.agent(at: try AgentAddress(parsing: second))
        let (hold, released) = try await store.releaseLoopHold(one, other, now: self.now())
        try await self.publisher.publish(StoreOutbox(watcherEvents: [.loopReleased(hold, released: released)]), of: store, committedAt: nil)
        try await self.pushWaiting(to: [one.id, other.id], store)
        return (hold, released)
    }
}
