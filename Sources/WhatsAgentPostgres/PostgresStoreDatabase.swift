import Logging
import PostgresNIO
import Synchronization
import WhatsAgentCore

/// One daemon's connections to the shared PostgreSQL store (issue 22, SPEC §17): a pool for use cases, each run as one
/// transaction, over a schema brought to this binary's version at open.
///
/// Several daemons, on several hosts, open the same database; the schema's migrations run under an advisory lock, so
/// two daemons starting together migrate once. A database migrated by a newer binary is refused, never downgraded.
/// While the server is unreachable a use case waits at most ``acquireTimeout`` for a connection, then fails with an
/// error that says why (the pool itself keeps trying and serves again as soon as the server is back).
package final class PostgresStoreDatabase: Sendable {
    package let address: PostgresAddress
    let client: PostgresClient
    let logger: Logger
    /// How long a use case waits for a connection before it fails.
    package let acquireTimeout: Duration
    private let runner: Task<Void, Never>

    private init(address: PostgresAddress, client: PostgresClient, logger: Logger, acquireTimeout: Duration) {
        (self.address, self.client, self.logger, self.acquireTimeout) = (address, client, logger, acquireTimeout)
        self.runner = Task { await client.run() }
    }

    /// Connects to `address` and migrates its schema.
    /// - Parameter connections: most connections this daemon holds at once.
    /// - Throws: `configuration` for a bad TLS setting or a server older than 15, `storage` when the server cannot be
    ///   reached, refuses the login or lacks the database, `database_too_new` when a newer binary migrated the schema.
    package static func open(
        _ address: PostgresAddress,
        connections: Int = 8,
        acquireTimeout: Duration = .seconds(10),
        logger: Logger
    ) async throws -> PostgresStoreDatabase {
        try await self.probe(address, logger: logger)
        let database = try self.unmigrated(address, connections: connections, acquireTimeout: acquireTimeout, logger: logger)
        do {
            try await database.transaction { connection in try await PostgresMigrations.migrate(connection, logger: logger) }
        } catch {
            database.close()
            throw error
        }
        return database
    }

    /// Connects to `address` without touching its schema (an administrator's connection: creating a database).
    package static func unmigrated(
        _ address: PostgresAddress,
        connections: Int = 2,
        acquireTimeout: Duration = .seconds(10),
        logger: Logger
    ) throws -> PostgresStoreDatabase {
        let configuration = try PostgresSettings.pool(address, connections: connections)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresStoreDatabase(address: address, client: client, logger: logger, acquireTimeout: acquireTimeout)
    }

    /// Stops the pool; later use fails.
    package func close() {
        self.runner.cancel()
    }

    /// Runs `body` as one transaction (committed when it returns, rolled back when it throws).
    /// - Throws: what `body` throws; the driver's failures as `storage` errors that name the server (never a password)
    ///   and say what to check.
    package func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await self.withConnection { connection in
            do {
                return try await connection.withTransaction(logger: self.logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                throw error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error
            }
        }
    }

    /// Runs `body` on a connection of the pool, outside any transaction, waiting at most ``acquireTimeout`` for it.
    package func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let acquired = LeaseFlag()
        let outcome: Result?
        do {
            outcome = try await withThrowingTaskGroup(of: Lease<Result>.self) { group in
                group.addTask {
                    .done(
                        try await self.client.withConnection { connection in
                            acquired.set()
                            return try await body(connection)
                        }
                    )
                }
                group.addTask {
                    try await Task.sleep(for: self.acquireTimeout)
                    // Once a connection was leased the work takes as long as it takes: only waiting times out.
                    return acquired.isSet ? .leasedInTime : .timedOut
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    switch next {
                    case .done(let result): return result
                    case .timedOut: return nil
                    case .leasedInTime: continue
                    }
                }
                return nil
            }
        } catch {
            throw DomainError.postgres(error, at: self.address)
        }
        guard let outcome else {
            // Timed out waiting: say why, from a connection of our own (the pool keeps its own errors to itself).
            try await Self.probe(self.address, logger: self.logger)
            throw DomainError(
                .storage,
                "the PostgreSQL store at \(self.address) did not give a connection within \(self.acquireTimeout); "
                    + "it may be overloaded or at max_connections — retry"
            )
        }
        return outcome
    }

    /// Opens and closes one connection, so that the reason a server cannot be used is reported as it is.
    static func probe(_ address: PostgresAddress, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try PostgresSettings.connection(address),
                id: 0,
                logger: logger
            )
        } catch {
            throw DomainError.postgres(error, at: address)
        }
        try? await connection.close()
    }
}

/// How a use case's wait for a connection ended, as its task group sees it.
private enum Lease<Result: Sendable>: Sendable {
    case done(Result)
    /// The timer found no connection leased yet.
    case timedOut
    /// The timer found the connection leased: the work goes on, however long.
    case leasedInTime
}

/// Whether a use case got its connection (set once, read by its timer).
private final class LeaseFlag: Sendable {
    private let value = Atomic(false)

    func set() { self.value.store(true, ordering: .sequentiallyConsistent) }

    var isSet: Bool { self.value.load(ordering: .sequentiallyConsistent) }
}

extension DomainError {
    /// A driver failure against the store at `address`, in the user's terms: what failed, and what to check. Any
    /// other error (a use case's refusal, a cancellation) passes through unchanged.
    static func postgres(_ error: any Error, at address: PostgresAddress) -> any Error {
        if let decoding = error as? PostgresDecodingError {
            return DomainError(.storage, "the PostgreSQL store at \(address) holds a value this binary cannot read (\(decoding.columnName))")
        }
        guard let failure = error as? PSQLError else { return error }
        if let server = failure.serverInfo, let message = server[.message] {
            let code = server[.sqlState] ?? "?"
            if code == "28P01" || code == "28000" {
                return DomainError(
                    .storage,
                    "the PostgreSQL server refused the login of \(address.user) (\(message)); check PGPASSWORD or "
                        + "`password` under [store] in daemon.toml, and the server's pg_hba.conf"
                )
            }
            if code == "3D000" {
                return DomainError(
                    .storage,
                    "the database \(address.database) does not exist on the PostgreSQL server; create it: createdb \(address.database)"
                )
            }
            return DomainError(.storage, "the PostgreSQL store at \(address) refused a query (\(code): \(message))")
        }
        return DomainError(
            .storage,
            "the PostgreSQL store at \(address) cannot be reached (\(failure.code)); check that the server runs and accepts "
                + "connections, then retry"
        )
    }
}
