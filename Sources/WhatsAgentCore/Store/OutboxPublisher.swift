import Foundation

/// The one way a use case's events leave the daemon: after its transaction committed (docs/store.md). Workspace
/// events go to the web UI's bus (and, for watcher events, through the hub to the workspace's watchers); mail hints
/// go to the connected sessions. A hint that reached no connection (the session closed between the transaction and
/// this call) has its push marks undone in the store's next transaction. Publishing never fails a committed use case.
struct OutboxPublisher: Sendable {
    let hub: EventHub
    let bus: WorkspaceEventBus

    /// Publishes `outbox` of a transaction of `store` that committed at `committedAt` (the start of the push latency
    /// measurement; nil for hints no send caused). Returns the pushes whose hint went out: their marks stand.
    @discardableResult
    func publish(_ outbox: StoreOutbox, of store: any MessagingStore, committedAt: ContinuousClock.Instant?) async throws -> [PushPlan] {
        if let workspace = store.workspaceID {
            for event in outbox.events { self.bus.publish(event, workspace: workspace) }
            for event in outbox.watcherEvents { await self.hub.publish(event, workspace: workspace) }
        }
        var delivered: [PushPlan] = []
        for plan in outbox.pushes {
            var hint = plan.hint
            hint.committedAt = committedAt
            guard await self.hub.publish(.mail(hint), to: plan.session) else {
                // Never fails the committed use case: a revert that fails leaves the messages `pushed`, which still
                // waits and check_messages still returns.
                try? await store.revertPushMarks(plan)
                continue
            }
            delivered.append(plan)
            if !plan.markedIDs.isEmpty, let workspace = store.workspaceID {
                self.bus.publish(.messageState(messageIDs: plan.markedIDs.map(String.init), state: .pushed), workspace: workspace)
            }
        }
        return delivered
    }
}
