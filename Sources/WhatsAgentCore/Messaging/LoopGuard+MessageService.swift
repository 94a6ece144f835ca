import Foundation

/// The loop guard inside the send path, and the human's view and release of holds (``LoopGuard``).
extension MessageService {
    /// Stores a direct message, under the loop guard when it goes from one agent to another, the guard is on and no
    /// rule refused it. A new hold is announced as a ``WorkspaceEvent/loopHeld(_:)`` hub event.
    func store(
        _ draft: Message,
        from sender: MessageSender,
        to recipient: Agent?,
        in workspace: Workspace,
        _ database: WorkspaceDatabase
    ) async throws -> (message: Message, duplicate: Bool) {
        guard draft.state == .queued, case .agent(let identity) = sender, let recipient, case .value(let limit) = workspace.loopGuard
        else {
            return try await database.insertMessage(draft)
        }
        let check = LoopGuard.Check(limit: limit, now: draft.sentAt, sender: identity.agent, recipient: recipient)
        let (stored, duplicate, newHold) = try await database.insertGuardedMessage(draft, check: check)
        if let newHold {
            await self.hub.publish(.loopHeld(newHold), workspace: workspace.id)
        }
        return (stored, duplicate)
    }

    /// The pairs the loop guard holds now, oldest first, with their held messages.
    public func holds(workspace reference: String?) async throws -> [LoopHold] {
        try await self.workspaces.database(for: reference).1.activeHolds()
    }

    /// Releases a held pair (the human's decision): its held messages become queued in their original order and are
    /// pushed to the connected recipients, and the pair's counting window restarts now.
    /// - Returns: the released hold and how many messages it released.
    /// - Throws: `not_found` when the pair is not held; `agent_not_found` for an unknown agent.
    public func release(workspace reference: String?, _ first: String, _ second: String) async throws -> (hold: LoopHold, released: Int) {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let one = try await database.agent(try AgentAddress(parsing: first))
        let other = try await database.agent(try AgentAddress(parsing: second))
        let (hold, released) = try await database.releaseHold(one, other, now: self.now())
        await self.hub.publish(.loopReleased(hold, released: released), workspace: workspace.id)
        for agent in [one, other] {
            try await self.pushWaiting(to: agent, database)
        }
        return (hold, released)
    }
}
