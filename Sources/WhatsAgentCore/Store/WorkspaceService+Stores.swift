import Foundation

extension WorkspaceService {
    /// The workspace and its messaging store (``MessagingStore``), for the messaging use cases.
    func messagingStore(for reference: String?) async throws -> (Workspace, any MessagingStore) {
        let (workspace, database) = try await self.database(for: reference)
        return (workspace, database)
    }

    /// The workspace and its board store (``BoardStore``, which also pushes the board's notifications).
    func boardStore(for reference: String?) async throws -> (Workspace, any BoardStore & MessagingStore) {
        let (workspace, database) = try await self.database(for: reference)
        return (workspace, database)
    }

    /// The workspace and store a call acts in: an agent's own, as its request resolved them (no lookup, no hop onto
    /// this actor), or the one the human named.
    nonisolated func store(for sender: MessageSender, _ reference: String?) async throws -> (Workspace, any WorkspaceStore) {
        if case .agent(let identity) = sender { return (identity.workspace, identity.store) }
        return try await self.database(for: reference)
    }
}
