import Foundation
import Synchronization
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres
@testable import WhatsAgentSQLite

/// One implementation of the daemon's registry (``DaemonStore`` and ``AuthStore``) under the contract
/// (RegistryContractTests). Every check goes through the protocols only.
struct RegistryUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> OpenRegistry

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory, postgres]

    static let sqliteFile = RegistryUnderTest(name: "SQLite file") {
        let folder = "/tmp/wareg-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try DaemonDatabase.open(path: "\(folder)/daemon.sqlite")
        return OpenRegistry(store: store, folder: folder, sharedBy: nil, listening: { true }) {
            try? await store.close()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static let sqliteInMemory = RegistryUnderTest(name: "SQLite in memory") {
        OpenRegistry(store: try DaemonDatabase.inMemory(), folder: nil, sharedBy: nil, listening: { true }) {}
    }

    /// A fresh database of the test cluster; ``OpenRegistry/sharedBy`` opens a second daemon on it.
    static let postgres = RegistryUnderTest(name: "PostgreSQL") {
        let address = try await PostgresTestServer.freshDatabase()
        let (store, close) = try await Self.postgresDaemon(address)
        return OpenRegistry(
            store: store,
            folder: nil,
            sharedBy: { try await Self.postgresDaemon(address) },
            listening: { store.feed.listenerState.listening },
            close: close
        )
    }

    /// The copy a SQLite registry's backup wrote, opened as a registry.
    static func openSQLiteCopy(_ path: String) throws -> any DaemonStore & AuthStore {
        try DaemonDatabase.open(path: path)
    }

    /// A daemon's registry on `address`: its own pool and listener, its own host-local store.
    static func postgresDaemon(_ address: PostgresAddress) async throws -> (PostgresRegistry, @Sendable () async -> Void) {
        let database = try await PostgresTestServer.open(address)
        let registry = PostgresRegistry.open(database: database, local: try DaemonDatabase.inMemory(), scanInterval: .seconds(3600))
        return (
            registry,
            {
                try? await registry.close()
                database.close()
            }
        )
    }
}

/// A registry opened for one test.
struct OpenRegistry: Sendable {
    let store: any DaemonStore & AuthStore
    /// A folder the test may write into (the SQLite file's), nil otherwise.
    let folder: String?
    /// Opens another daemon's registry on the same shared store (PostgreSQL), with the way to close it.
    let sharedBy: (@Sendable () async throws -> (any DaemonStore & AuthStore, @Sendable () async -> Void))?
    /// Whether the store's change feed hears every commit now (SQLite's always does; PostgreSQL's once it listens).
    let listening: @Sendable () -> Bool
    let close: @Sendable () async -> Void

    /// Waits until the feed listens: a change committed before that may reach the subscribers only as a catch-up.
    func ready() async throws {
        try await RegistryFeed.poll("the change feed to listen", until: self.listening)
    }
}

/// What one subscriber of a registry's change feed received.
final class RegistryFeed: Sendable {
    private let changes = Mutex<[StoreChange]>([])

    init(_ feed: any StoreChangeFeed) {
        feed.subscribe { change in self.changes.withLock { $0.append(change) } }
    }

    func count(of change: StoreChange) -> Int { self.changes.withLock { $0.filter { $0 == change }.count } }

    /// Waits until `change` was received more than `count` times.
    func wait(for change: StoreChange, after count: Int) async throws {
        try await Self.poll("\(change) after \(count)") { self.count(of: change) > count }
    }

    /// Polls `condition` until it holds, failing after 20 seconds (a notification crosses the server; a loaded test
    /// run may take its time).
    static func poll(_ what: String, until condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw DomainError(.invalidState, "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
