import Foundation

/// One workspace's store: every concern's protocol (docs/store.md). The core's services reach storage only through
/// these; `WorkspaceService` opens one per active workspace through a ``StoreFactory``.
package protocol WorkspaceStore: MessagingStore, BoardStore, RepoAgentStore, SessionStore, ChannelStore, MessageQueryStore,
    PeerRuleStore, RBACStore, AuditStore, WorktreeStore, WorkspaceMetricsStore
{}

/// Opens stores: the one seam where an implementation is chosen (SQLite today; PostgreSQL in issue 22).
package protocol StoreFactory: Sendable {
    /// Opens (creating and migrating) the workspace store at `path`, for workspace `id`.
    func openWorkspace(path: String, id: WorkspaceID) throws -> any WorkspaceStore
    /// A fresh in-memory workspace store, for tests of everything but the file moves.
    func inMemoryWorkspace(id: WorkspaceID) throws -> any WorkspaceStore
    /// Writes a consistent copy of the workspace store file at `source` (not open in this process) to `destination`.
    func copyWorkspace(file source: String, to destination: String) throws
    /// The implementation's label in metrics (`whatsagent_store_write_transactions_total{store}`).
    var metricsLabel: String { get }
    /// Write transactions of every store of this implementation in this process so far.
    var writeTransactionTotal: Int { get }
}
