import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres
@testable import WhatsAgentSQLite

/// One implementation of ``MessagingStore`` under the contract (MessagingStoreContractTests, ChannelPostContractTests
/// and the messaging tests of AuditAndRetentionContractTests), and how to seed it. The seed (repos, agents, sessions,
/// mutes) goes through the implementation's own admin paths; every check goes through the protocol only.
struct MessagingStoreUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> any MessagingStoreSeed

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory, postgres]

    static let sqliteFile = MessagingStoreUnderTest(name: "SQLite file") { try SQLiteSeed.file() }

    static let sqliteInMemory = MessagingStoreUnderTest(name: "SQLite in memory") {
        SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
    }

    /// A fresh database in the test run's PostgreSQL cluster (fails, never skips, without one).
    static let postgres = MessagingStoreUnderTest(name: "PostgreSQL") { try await PostgresSeed.open() }
}

/// One implementation of ``BoardStore`` (with ``MessagingStore``, where its notifications wait) under the contract
/// (BoardStoreContractTests, BoardSearchContractTests), and how to seed it.
struct BoardStoreUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> any BoardStoreSeed

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory, postgres]

    static let sqliteFile = BoardStoreUnderTest(name: "SQLite file") { try SQLiteSeed.file() }

    static let sqliteInMemory = BoardStoreUnderTest(name: "SQLite in memory") {
        SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
    }

    /// A workspace of its own in the test run's PostgreSQL database (fails, never skips, without one).
    static let postgres = BoardStoreUnderTest(name: "PostgreSQL") { try await PostgresSeed.open() }
}

/// One implementation of every concern of ``WorkspaceStore`` but the board (``StoreConcerns``) under the contract
/// (WorkspaceStoreContractTests, ChannelStoreContractTests, PeerRuleAndWorktreeContractTests, SearchContractTests and
/// AuditAndRetentionContractTests): SQLite and PostgreSQL.
struct StoreConcernsUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> any StoreConcernsSeed

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory, postgres]

    static let sqliteFile = StoreConcernsUnderTest(name: "SQLite file") { try SQLiteSeed.file() }

    static let sqliteInMemory = StoreConcernsUnderTest(name: "SQLite in memory") {
        SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
    }

    /// A workspace of its own in the test run's PostgreSQL database (fails, never skips, without one).
    static let postgres = StoreConcernsUnderTest(name: "PostgreSQL") { try await PostgresSeed.open() }
}

/// One implementation of the whole ``WorkspaceStore`` under the contract (what spans concerns: deleting an agent
/// detaches it from the board): SQLite and PostgreSQL.
struct WorkspaceStoreUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> any WorkspaceStoreSeed

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory, postgres]

    static let sqliteFile = WorkspaceStoreUnderTest(name: "SQLite file") { try SQLiteSeed.file() }

    static let sqliteInMemory = WorkspaceStoreUnderTest(name: "SQLite in memory") {
        SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
    }

    static let postgres = WorkspaceStoreUnderTest(name: "PostgreSQL") { try await PostgresSeed.open() }
}

/// Every concern of ``WorkspaceStore`` but ``BoardStore``: what the PostgreSQL store implements beside the board.
typealias StoreConcerns = MessagingStore & RepoAgentStore & SessionStore & ChannelStore & MessageQueryStore & PeerRuleStore & RBACStore
    & AuditStore & WorktreeStore & WorkspaceMetricsStore

/// A messaging store of one implementation with the seeding the contract needs.
protocol MessagingStoreSeed: Sendable {
    var store: any MessagingStore { get }
    /// Adds agent `repo:name` (runtime claude, pushes on), creating its repo when needed; `isMain` makes it the main agent.
    func addAgent(_ address: String, isMain: Bool, runtime: Runtime, pushEnabled: Bool, nudgeEnabled: Bool) async throws -> Agent
    /// Opens a live session for `agent`, ending the one it had (one live session per agent).
    func openSession(_ agent: Agent) async throws -> SessionID
    /// Mutes the agent (the human's `agent set --mute`).
    func mute(_ agent: Agent) async throws
}

extension MessagingStoreSeed {
    /// A new agent `name` of `repo`, as every seed adds it.
    static func agent(_ name: String, in repo: Repo, isMain: Bool, runtime: Runtime, pushEnabled: Bool, nudgeEnabled: Bool) -> Agent {
        Agent(
            id: .generate(),
            repoID: repo.id,
            repoName: repo.name,
            name: name,
            runtime: runtime,
            command: nil,
            args: [],
            roles: [],
            isMain: isMain,
            pushEnabled: pushEnabled,
            persona: nil,
            createdAt: repo.createdAt,
            updatedAt: repo.createdAt,
            nudgeEnabled: nudgeEnabled
        )
    }
}

/// A board store of one implementation, with the same seeding.
protocol BoardStoreSeed: MessagingStoreSeed {
    /// The same store's board side (BoardStoreContractTests, BoardSearchContractTests).
    var boardStore: any BoardStore { get }
}

/// A store of one implementation with every concern but the board, with the same seeding.
protocol StoreConcernsSeed: MessagingStoreSeed {
    /// The same store with those concerns (WorkspaceStoreContractTests and the other concern suites).
    var concerns: any StoreConcerns { get }
}

/// A whole workspace store of one implementation, with the same seeding.
protocol WorkspaceStoreSeed: StoreConcernsSeed, BoardStoreSeed {
    /// The same store with every concern.
    var workspaceStore: any WorkspaceStore { get }
}

extension MessagingStoreSeed {
    func addAgent(
        _ address: String,
        isMain: Bool = false,
        runtime: Runtime = .claude,
        pushEnabled: Bool = true,
        nudgeEnabled: Bool = true
    ) async throws -> Agent {
        try await self.addAgent(address, isMain: isMain, runtime: runtime, pushEnabled: pushEnabled, nudgeEnabled: nudgeEnabled)
    }
}

/// The SQLite seed: ``WorkspaceDatabase``'s own inserts.
final class SQLiteSeed: WorkspaceStoreSeed {
    let database: WorkspaceDatabase
    let folder: String?

    init(database: WorkspaceDatabase, folder: String?) {
        self.database = database
        self.folder = folder
    }

    /// A database file in a new temporary folder (deleted with the seed).
    static func file() throws -> SQLiteSeed {
        let folder = "/tmp/wams-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return SQLiteSeed(database: try WorkspaceDatabase.open(path: "\(folder)/whatsagent.sqlite"), folder: folder)
    }

    var store: any MessagingStore { self.database }
    var concerns: any StoreConcerns { self.database }
    var boardStore: any BoardStore { self.database }
    var workspaceStore: any WorkspaceStore { self.database }

    func addAgent(_ address: String, isMain: Bool, runtime: Runtime, pushEnabled: Bool, nudgeEnabled: Bool) async throws -> Agent {
        let parsed = try AgentAddress(parsing: address)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let repo: Repo
        if let existing = try await self.database.repos().first(where: { $0.name == parsed.repo }) {
            repo = existing
        } else {
            repo = Repo(id: .generate(), name: parsed.repo, path: "/tmp/contract/\(parsed.repo)", createdAt: now, updatedAt: now)
            try await self.database.insertRepo(repo)
        }
        let agent = Self.agent(parsed.agent, in: repo, isMain: isMain, runtime: runtime, pushEnabled: pushEnabled, nudgeEnabled: nudgeEnabled)
        return try await self.database.insertAgent(agent)
    }

    func openSession(_ agent: Agent) async throws -> SessionID {
        let session = LiveSession(id: .generate(), agentID: agent.id, agentAddress: agent.address.description, kind: .external, startedAt: Date())
        _ = try await self.database.openSession(session, tokenHash: UUID().uuidString, replace: true, now: Date())
        return session.id
    }

    func mute(_ agent: Agent) async throws {
        _ = try await self.database.updateAgent(agent.address) { $0.muted = true }
    }

    deinit {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }
}

/// The PostgreSQL seed: a fresh workspace in a database of the test run's cluster (``PostgresTestServer``), seeded
/// through the store's own use cases (``RepoAgentStore``, ``SessionStore``), as SQLite's.
///
/// The tests share one database, created and migrated once per run: every row is keyed by its workspace, as on a
/// shared server, so a new workspace is a test's own store, and a statement that forgot its workspace would meet the
/// rows of the tests running beside it. (A database per test cost a `CREATE DATABASE` and a migration each.)
final class PostgresSeed: WorkspaceStoreSeed {
    let database: PostgresStoreDatabase
    let postgres: PostgresWorkspaceStore

    private init(database: PostgresStoreDatabase, postgres: PostgresWorkspaceStore) {
        (self.database, self.postgres) = (database, postgres)
    }

    /// The database the seeds of this run share.
    private static let sharedDatabase = Task { try await PostgresTestServer.freshDatabase() }

    static func open() async throws -> PostgresSeed {
        let database = try await PostgresTestServer.open(try await self.sharedDatabase.value)
        let workspace = Contract.workspace(name: "contract-\(UUID().uuidString.prefix(8))", topology: .p2p)
        try await database.transaction { connection in
            try await PostgresWorkspaces.insert(workspace, on: connection, logger: PostgresTestServer.logger)
        }
        return PostgresSeed(database: database, postgres: PostgresWorkspaceStore(database: database, workspace: workspace.id))
    }

    var store: any MessagingStore { self.postgres }
    var concerns: any StoreConcerns { self.postgres }
    var boardStore: any BoardStore { self.postgres }
    var workspaceStore: any WorkspaceStore { self.postgres }

    func addAgent(_ address: String, isMain: Bool, runtime: Runtime, pushEnabled: Bool, nudgeEnabled: Bool) async throws -> Agent {
        let parsed = try AgentAddress(parsing: address)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let repo: Repo
        if let existing = try await self.postgres.repos().first(where: { $0.name == parsed.repo }) {
            repo = existing
        } else {
            repo = Repo(id: .generate(), name: parsed.repo, path: "/tmp/contract/\(parsed.repo)", createdAt: now, updatedAt: now)
            try await self.postgres.insertRepo(repo)
        }
        let agent = Self.agent(parsed.agent, in: repo, isMain: isMain, runtime: runtime, pushEnabled: pushEnabled, nudgeEnabled: nudgeEnabled)
        return try await self.postgres.insertAgent(agent)
    }

    func openSession(_ agent: Agent) async throws -> SessionID {
        let session = LiveSession(id: .generate(), agentID: agent.id, agentAddress: agent.address.description, kind: .external, startedAt: Date())
        _ = try await self.postgres.openSession(session, tokenHash: UUID().uuidString, replace: true, now: Date())
        return session.id
    }

    func mute(_ agent: Agent) async throws {
        _ = try await self.postgres.updateAgent(agent.address) { $0.muted = true }
    }

    deinit { self.database.close() }
}
