import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres
@testable import WhatsAgentSQLite

/// The store a test world's workspace lives in (``RBACWorld``, `BoardWorld`): SQLite in memory, or a workspace of its
/// own in the test run's PostgreSQL database. The registry (workspace rows, settings) stays SQLite in memory either
/// way: the world is one daemon, and only its workspace's use cases are under test.
enum WorldStore: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"

    var testDescription: String { self.rawValue }

    /// A workspace service whose workspaces open on this store.
    func service(clock: TestClock) async throws -> WorkspaceService {
        switch self {
        case .sqlite:
            return try makeInMemoryService(clock: clock)
        case .postgres:
            return WorkspaceService(
                storage: .inMemory,
                registry: try DaemonDatabase.inMemory(),
                stores: PostgresWorldStores(database: try await PostgresWorldStores.database()),
                now: { clock.now },
                logger: quietLogger
            )
        }
    }

    /// Writes what the store needs of a new workspace before its first use case: on PostgreSQL, its shared row (under
    /// a name of its own: live names are unique across the database the run shares) and its built-in roles.
    func prepare(_ workspace: Workspace) async throws {
        guard self == .postgres else { return }
        var renamed = workspace
        renamed.name = "world-\(workspace.id.rawValue.prefix(12))"
        let row = renamed
        let database = try await PostgresWorldStores.database()
        try await database.transaction { connection in
            try await PostgresWorkspaces.insert(row, on: connection, logger: PostgresTestServer.logger)
        }
    }
}

/// Opens the workspaces of a test world on PostgreSQL: one store value per workspace over the pool the run's worlds
/// share (a pool per world would open connections by the hundred).
struct PostgresWorldStores: StoreFactory {
    let database: PostgresStoreDatabase

    /// The pool the worlds of this run share, over the run's shared database.
    static func database() async throws -> PostgresStoreDatabase { try await self.shared.value }

    private static let shared = Task { try await PostgresTestServer.open(try await PostgresTestServer.freshDatabase()) }

    func openWorkspace(path: String, id: WorkspaceID) throws -> any WorkspaceStore {
        PostgresWorkspaceStore(database: self.database, workspace: id)
    }

    func inMemoryWorkspace(id: WorkspaceID) throws -> any WorkspaceStore {
        PostgresWorkspaceStore(database: self.database, workspace: id)
    }

    func copyWorkspace(file source: String, to destination: String) throws {
        throw DomainError(.invalidState, "a PostgreSQL workspace has no file to copy")
    }

    var metricsLabel: String { "postgresql" }

    var writeTransactionTotal: Int { 0 }
}
