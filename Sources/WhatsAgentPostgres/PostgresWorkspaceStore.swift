import Foundation
import Logging
import PostgresNIO
import Synchronization
import WhatsAgentCore

/// One workspace's store on the shared PostgreSQL database (issue 22, docs/store.md): a value per workspace, naming
/// `workspace_id` in every statement. It holds every concern of `WorkspaceStore`: the messaging use cases
/// (``MessagingStore``), the board (``BoardStore``, `+Board` and `PostgresBoardRows`) and repos and agents, sessions,
/// channels, message queries and search, peer rules, RBAC, the audit log, worktree settings and the metrics' counts
/// (one `+Concern` file each).
///
/// Each write use case is one transaction that first takes the workspace's transaction-scoped advisory lock
/// (``write(locked:_:)``), as SQLite's one writer per workspace file serialises them: what a use case reads to decide —
/// the recipient, the loop guard's count, an idempotency key, the waiting-mail counts, the queued messages a push
/// marks, `#shared`'s members — stays true until it commits, on every daemon, and message ids are handed out in commit
/// order (per-sender order). Workspaces never wait for each other.
package final class PostgresWorkspaceStore: Sendable {
    package let database: PostgresStoreDatabase
    package let workspace: WorkspaceID
    private let writes = Atomic(0)
    /// `#shared` was seen to exist (channels are never deleted: once there, on any daemon, it stays).
    private let sharedChannel = Atomic(false)
    /// Set by ``close()``: the pool is the daemon's and stays open, but this store serves no more use cases.
    private let closed = Atomic(false)

    /// The class of the workspaces' advisory locks (`pg_advisory_xact_lock(class, hashtext(workspace id))`), apart from
    /// the one-key locks of migrations and maintenance.
    static let lockClass: Int32 = 0x5741_4D53

    package init(database: PostgresStoreDatabase, workspace: WorkspaceID) {
        (self.database, self.workspace) = (database, workspace)
    }

    var logger: Logger { self.database.logger }

    /// The `workspace_id` of every row this store reads and writes.
    var id: String { self.workspace.rawValue }

    /// Write transactions (committed or rolled back) this store has run since it was opened.
    package var writeTransactionCount: Int { self.writes.load(ordering: .relaxed) }

    package var workspaceID: WorkspaceID? { self.workspace }

    var sharedChannelExists: Bool { self.sharedChannel.load(ordering: .relaxed) }

    func sharedChannelSeen() { self.sharedChannel.store(true, ordering: .relaxed) }

    /// Runs `body` as one write transaction, counted; `locked` (a use case that reads to decide) takes the workspace's
    /// advisory lock first, held until the commit or rollback.
    func write<T: Sendable>(locked: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try self.checkOpen()
        return try await self.database.transaction { connection in
            _ = self.writes.wrappingAdd(1, ordering: .relaxed)
            if locked {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(self.id)))", logger: self.logger)
            }
            return try await body(connection)
        }
    }

    /// Runs `body` in one write transaction after the caller's RBAC `check` (its audit row in the same transaction). A
    /// denial commits the audit row alone and is thrown after the commit; `body` does not run then.
    func checkedWrite<T: Sendable>(_ check: ToolCheck?, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await self.write { connection -> Checked<T> in
            if let check, case .denied(let denial) = try await self.run(check, facts: .none, on: connection) { return .denied(denial) }
            return .done(try await body(connection))
        }.get()
    }

    /// Runs `body` in a read-only transaction (one snapshot), not counted as a write.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try self.checkOpen()
        return try await self.database.transaction { connection in
            try await connection.query("SET TRANSACTION READ ONLY", logger: self.logger)
            return try await body(connection)
        }
    }

    /// Ends this store's use: later calls fail instead of reaching the database (the pool is closed by its owner).
    package func close() {
        self.closed.store(true, ordering: .relaxed)
    }

    private func checkOpen() throws {
        guard !self.closed.load(ordering: .relaxed) else {
            throw DomainError(.storage, "the store of workspace \(self.workspace) was closed (the workspace was trashed or the daemon is stopping)")
        }
    }

    /// Runs `check` in the caller's transaction.
    func run(_ check: ToolCheck, facts: AuthorizationFacts, on connection: PostgresConnection) async throws -> ToolCheck.Outcome {
        try await PostgresCheckRows.run(check, facts: facts, workspace: self.id, agent: check.callerID, on: connection, logger: self.logger)
    }

    /// The rows of `query`, each decoded as `T`.
    func values<T: PostgresDecodable & Sendable>(_ type: T.Type, _ query: PostgresQuery, on connection: PostgresConnection) async throws -> [T] {
        var values: [T] = []
        for try await value in try await connection.query(query, logger: self.logger).decode(T.self) { values.append(value) }
        return values
    }

    /// The rows of `query`, each decoded by `decode`.
    func rows<T>(
        _ query: PostgresQuery,
        on connection: PostgresConnection,
        _ decode: (PostgresRandomAccessRow) throws -> T
    ) async throws -> [T] {
        var values: [T] = []
        for try await row in try await connection.query(query, logger: self.logger) { values.append(try decode(row.makeRandomAccess())) }
        return values
    }
}

extension PostgresRandomAccessRow {
    /// The value of `column`.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension PostgresWorkspaceStore: MessagingStore {}

extension PostgresWorkspaceStore: RepoAgentStore, SessionStore, ChannelStore, MessageQueryStore, PeerRuleStore, RBACStore, AuditStore,
    WorktreeStore, WorkspaceMetricsStore
{}

extension PostgresWorkspaceStore: WorkspaceStore {}
