import Foundation

extension WorkspaceService {
    /// The workspace and its messaging store (``MessagingStore``), for the messaging use cases.
    func messagingStore(for reference: String?) throws -> (Workspace, any MessagingStore) {
        let (workspace, database) = try self.database(for: reference)
        return (workspace, database)
    }

    /// The workspace and its board store (``BoardStore``, which also pushes the board's notifications).
    func boardStore(for reference: String?) throws -> (Workspace, any BoardStore & MessagingStore) {
        let (workspace, database) = try self.database(for: reference)
        return (workspace, database)
    }
}
