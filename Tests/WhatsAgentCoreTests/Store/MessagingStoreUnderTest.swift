import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// One implementation of ``MessagingStore`` under the contract (MessagingStoreContractTests), and how to seed it.
/// The seed (repos, agents, sessions, mutes) goes through the implementation's own admin paths; every check goes
/// through the protocol only. A second implementation (PostgreSQL, issue 22) adds one value to ``all``.
struct MessagingStoreUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () throws -> any MessagingStoreSeed

    var testDescription: String { self.name }

    static let all = [sqliteFile, sqliteInMemory]

    static let sqliteFile = MessagingStoreUnderTest(name: "SQLite file") {
        let folder = "/tmp/wams-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return SQLiteSeed(database: try WorkspaceDatabase.open(path: "\(folder)/whatsagent.sqlite"), folder: folder)
    }

    static let sqliteInMemory = MessagingStoreUnderTest(name: "SQLite in memory") {
        SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
    }
}

/// A store of one implementation with the seeding the contract needs.
protocol MessagingStoreSeed: Sendable {
    var store: any MessagingStore { get }
    /// The same store's board side (BoardStoreContractTests).
    var boardStore: any BoardStore { get }
    /// The same store with every concern (WorkspaceStoreContractTests).
    var workspaceStore: any WorkspaceStore { get }
    /// Adds agent `repo:name` (runtime claude, pushes on), creating its repo when needed; `isMain` makes it the main agent.
    func addAgent(_ address: String, isMain: Bool, runtime: Runtime, pushEnabled: Bool, nudgeEnabled: Bool) async throws -> Agent
    /// Opens a live session for `agent`, ending the one it had (one live session per agent).
    func openSession(_ agent: Agent) async throws -> SessionID
    /// Mutes the agent (the human's `agent set --mute`).
    func mute(_ agent: Agent) async throws
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
final class SQLiteSeed: MessagingStoreSeed {
    let database: WorkspaceDatabase
    let folder: String?

    init(database: WorkspaceDatabase, folder: String?) {
        self.database = database
        self.folder = folder
    }

    var store: any MessagingStore { self.database }
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
        var agent = Agent(
            id: .generate(),
            repoID: repo.id,
            repoName: repo.name,
            name: parsed.agent,
            runtime: runtime,
            command: nil,
            args: [],
            roles: [],
            isMain: isMain,
            pushEnabled: pushEnabled,
            persona: nil,
            createdAt: now,
            updatedAt: now
        )
        agent.nudgeEnabled = nudgeEnabled
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
