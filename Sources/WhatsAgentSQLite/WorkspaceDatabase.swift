import Foundation
import GRDB
import WhatsAgentCore

/// A workspace's `whatsagent.sqlite`: repos, agents, sessions (and, with later work, messages and the board).
/// Every method is one transaction.
public struct WorkspaceDatabase: Sendable {
    let writer: any DatabaseWriter
    /// The workspace this database belongs to (set when ``WorkspaceService`` opens it), for publishing events.
    public internal(set) var workspaceID: WorkspaceID?
    /// Set once `#shared` is known to exist (channels are never deleted), shared by copies of this value.
    let sharedChannelExists = SetOnceFlag()
    /// The write transactions of this store (issue 19: one per use case), shared by copies of this value.
    let writeTransactions = WriteTransactionCounter()
    /// Direct sends that arrive while one commits share the next transaction (issue 21).
    let sends: GroupCommit

    init(_ writer: any DatabaseWriter) {
        self.writer = writer
        self.sends = GroupCommit(writer)
        self.writeTransactions.observe(writer)
    }

    /// How many write transactions this store has run since it was opened.
    public var writeTransactionCount: Int { self.writeTransactions.count }

    /// Opens (creating and migrating) the file at `path`.
    public static func open(path: String) throws -> WorkspaceDatabase {
        WorkspaceDatabase(try DatabaseOpener.openPool(path: path, migrator: WorkspaceMigrations.migrator))
    }

    /// A fresh in-memory database, for tests.
    public static func inMemory() throws -> WorkspaceDatabase {
        WorkspaceDatabase(try DatabaseOpener.openInMemory(migrator: WorkspaceMigrations.migrator))
    }

    /// Closes the connections; later use fails with an error instead of touching the file.
    package func close() throws {
        if let pool = self.writer as? DatabasePool {
            try pool.close()
        }
    }

    /// Writes a consistent copy of the database file at `source` (not open in this process) to `destination`.
    static func backup(file source: String, to destination: String) throws {
        let queue = try DatabaseQueue(path: source)
        defer { try? queue.close() }
        let copy = try DatabaseQueue(path: destination)
        try queue.backup(to: copy)
        try copy.close()
    }

    /// Writes a consistent copy of the database to `path` (SQLite online backup).
    package func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try self.writer.backup(to: destination)
        try destination.close()
    }

    // MARK: - Repos

    package func insertRepo(_ repo: Repo) async throws {
        try await self.writer.write { db in
            if let clash = try RepoRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [repo.name]).fetchOne(db) {
                throw DomainError.repoNameTaken(clash.name, path: clash.path)
            }
            if let clash = try RepoRecord.filter(RepoRecord.Columns.path == repo.path).fetchOne(db) {
                throw DomainError.repoPathTaken(repo.path, name: clash.name)
            }
            try RepoRecord(repo).insert(db)
        }
    }

    package func repos() async throws -> [Repo] {
        try await self.writer.read { db in
            try RepoRecord.order(sql: "name COLLATE NOCASE").fetchAll(db).map(\.domain)
        }
    }

    package func repo(named name: String) async throws -> Repo {
        try await self.writer.read { db in
            guard let repo = try RepoRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchOne(db) else {
                throw DomainError.repoNotFound(name)
            }
            return repo.domain
        }
    }

    /// Deletes a repo and its agents. Refuses while any of its agents has a live session unless `force`, in which
    /// case those sessions are ended first (same transaction).
    package func deleteRepo(named name: String, force: Bool, now: Date) async throws -> [LiveSession] {
        try await self.writer.write { db in
            guard let repo = try RepoRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchOne(db) else {
                throw DomainError.repoNotFound(name)
            }
            let live = try Self.liveSessions(
                db,
                sql: "agentId IN (SELECT id FROM agent WHERE repoId = ?)",
                arguments: [repo.id]
            )
            if let reason = try LiveSession.endReason(
                removing: "repo '\(repo.name)'",
                live: live,
                force: force,
                command: "whatsagent repo remove \(repo.name)",
                reason: "repo removed"
            ) {
                try Self.end(live, reason: reason, now: now, db)
            }
            try RepoRecord(repo.domain).delete(db)
            return live
        }
    }

    // MARK: - Agents

    /// Inserts `agent`. An agent named `main` added while the workspace has no main agent becomes the main agent
    /// (decided in the same transaction). Returns the agent as stored.
    @discardableResult
    package func insertAgent(_ proposed: Agent) async throws -> Agent {
        try await self.writer.write { db in
            var agent = proposed
            agent.isMain = agent.becomesMain(workspaceHasMain: try AgentRecord.filter(sql: "isMain = 1").fetchCount(db) > 0)
            if try AgentRecord.filter(sql: "repoId = ? AND name = ? COLLATE NOCASE", arguments: [agent.repoID.rawValue, agent.name])
                .fetchCount(db) > 0
            {
                throw DomainError.agentNameTaken(agent.address)
            }
            if agent.isMain {
                try Self.clearMain(db, now: agent.updatedAt)
            }
            try AgentRecord(agent).insert(db)
            try Self.replaceRoles(of: agent.id, with: agent.roles, db)
            return agent
        }
    }

    package func agents() async throws -> [Agent] {
        try await self.writer.read { db in try Self.fetchAgents(db) }
    }

    package func agent(_ address: AgentAddress) async throws -> Agent {
        try await self.writer.read { db in try Self.fetchAgent(address, db) }
    }

    /// Applies `change` to one agent and saves it. Roles and the main flag are written as the closure leaves them.
    package func updateAgent(_ address: AgentAddress, _ change: @Sendable (inout Agent) throws -> Void) async throws -> Agent {
        try await self.writer.write { db in
            var agent = try Self.fetchAgent(address, db)
            let wasMain = agent.isMain
            try change(&agent)
            if agent.isMain && !wasMain {
                try Self.clearMain(db, now: agent.updatedAt)
            }
            try AgentRecord(agent).update(db)
            try Self.replaceRoles(of: agent.id, with: agent.roles, db)
            return agent
        }
    }

    /// Clears the main flag of every agent. Returns the agent that was main, if any.
    package func unsetMain(now: Date) async throws -> Agent? {
        try await self.writer.write { db in
            let previous = try Self.fetchAgents(db, where: "agent.isMain = 1").first
            try Self.clearMain(db, now: now)
            return previous
        }
    }

    /// Deletes an agent; refuses while it has a live session unless `force` (then the session is ended first).
    package func deleteAgent(_ address: AgentAddress, force: Bool, now: Date) async throws -> [LiveSession] {
        try await self.writer.write { db in
            let agent = try Self.fetchAgent(address, db)
            let live = try Self.liveSessions(db, sql: "agentId = ?", arguments: [agent.id.rawValue])
            if let reason = try LiveSession.endReason(
                removing: "agent \(address)",
                live: live,
                force: force,
                command: "whatsagent agent remove \(address)",
                reason: "agent removed"
            ) {
                try Self.end(live, reason: reason, now: now, db)
            }
            _ = try AgentRecord.deleteOne(db, key: agent.id.rawValue)
            // Its messages keep no recipient now (SET NULL): nothing waits for it any more.
            try db.execute(sql: "DELETE FROM waitingMail WHERE toAgentId = ?", arguments: [agent.id.rawValue])
            return live
        }
    }

    // MARK: - Sessions

    package func liveSessions() throws -> [LiveSession] {
        try self.writer.read { db in try Self.liveSessions(db, sql: "1", arguments: []) }
    }

    /// Ends every live session with `reason`. Used when a workspace is trashed with `--force`.
    package func endAllSessions(reason: String, now: Date) throws -> [LiveSession] {
        try self.writer.write { db in
            let live = try Self.liveSessions(db, sql: "1", arguments: [])
            try Self.end(live, reason: reason, now: now, db)
            return live
        }
    }

    /// Counts for listings.
    package func countsNow() throws -> (repos: Int, agents: Int, liveSessions: Int) {
        try self.writer.read { db in
            (
                try RepoRecord.fetchCount(db),
                try AgentRecord.fetchCount(db),
                try SessionRecord.filter(SessionRecord.Columns.endedAt == nil).fetchCount(db)
            )
        }
    }

    /// Inserts a session row. Sessions are opened by the session work; tests use this to set up live sessions.
    func insertSession(_ session: LiveSession) async throws {
        try await self.writer.write { db in
            try SessionRecord(
                id: session.id.rawValue,
                agentId: session.agentID?.rawValue,
                agentAddress: session.agentAddress,
                kind: session.kind.rawValue,
                startedAt: session.startedAt
            ).insert(db)
        }
    }

    // MARK: Helpers

    /// The agents matching `condition` (a fixed SQL expression of the caller, never user text: its statement is
    /// cached, so the hot lookups of every agent request — token, recipient — skip SQL generation and preparation).
    static func fetchAgents(
        _ db: Database,
        where condition: String = "1",
        arguments: StatementArguments = []
    ) throws
        -> [Agent]
    {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT agent.*, repo.name AS repoName FROM agent JOIN repo ON repo.id = agent.repoId
                    WHERE \(condition) ORDER BY repo.name COLLATE NOCASE, agent.name COLLATE NOCASE
                    """
            ),
            arguments: arguments
        )
        // One agent (the common lookup) reads only its own roles, not every agent's.
        let roleRecords: [AgentRoleRecord]
        if rows.count == 1, let id: String = rows[0]["id"] {
            roleRecords = try AgentRoleRecord.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM agentRole WHERE agentId = ? ORDER BY rowid"),
                arguments: [id]
            )
        } else if rows.isEmpty {
            roleRecords = []
        } else {
            roleRecords = try AgentRoleRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM agentRole ORDER BY rowid"))
        }
        let roles = Dictionary(grouping: roleRecords, by: \.agentId)
        return try rows.map { row in
            let record = try AgentRecord(row: row)
            return try record.domain(repoName: row["repoName"], roles: roles[record.id]?.map(\.roleName) ?? [])
        }
    }

    static func fetchAgent(_ address: AgentAddress, _ db: Database) throws -> Agent {
        let found = try self.fetchAgents(
            db,
            where: "repo.name = ? COLLATE NOCASE AND agent.name = ? COLLATE NOCASE",
            arguments: [address.repo, address.agent]
        )
        guard let agent = found.first else {
            if try RepoRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [address.repo]).fetchCount(db) == 0 {
                throw DomainError.repoNotFound(address.repo)
            }
            throw DomainError.agentNotFound(address.description)
        }
        return agent
    }

    private static func replaceRoles(of id: AgentID, with roles: [String], _ db: Database) throws {
        _ = try AgentRoleRecord.filter(AgentRoleRecord.Columns.agentId == id.rawValue).deleteAll(db)
        for role in roles {
            try AgentRoleRecord(agentId: id.rawValue, roleName: role).insert(db)
        }
    }

    private static func clearMain(_ db: Database, now: Date) throws {
        try db.execute(sql: "UPDATE agent SET isMain = 0, updatedAt = ? WHERE isMain = 1", arguments: [now])
    }

    /// The live sessions matching `sql` (a fixed expression of the caller; its statement is cached).
    static func liveSessions(_ db: Database, sql: String, arguments: StatementArguments) throws -> [LiveSession] {
        try SessionRecord.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM session WHERE endedAt IS NULL AND (\(sql)) ORDER BY startedAt"),
            arguments: arguments
        )
        .map(\.liveSession)
    }

    static func end(_ sessions: [LiveSession], reason: String, now: Date, _ db: Database) throws {
        for session in sessions {
            try db.execute(
                sql: "UPDATE session SET endedAt = ?, endReason = ? WHERE id = ?",
                arguments: [now, reason, session.id.rawValue]
            )
        }
    }
}

extension WorkspaceDatabase: WorkspaceStore {}

/// The SQLite stores: a file per workspace under the home (docs/store.md).
package struct SQLiteStoreFactory: StoreFactory {
    package init() {}

    package func openWorkspace(path: String, id: WorkspaceID) throws -> any WorkspaceStore {
        var database = try WorkspaceDatabase.open(path: path)
        database.workspaceID = id
        return database
    }

    package func inMemoryWorkspace(id: WorkspaceID) throws -> any WorkspaceStore {
        var database = try WorkspaceDatabase.inMemory()
        database.workspaceID = id
        return database
    }

    package func copyWorkspace(file source: String, to destination: String) throws {
        try WorkspaceDatabase.backup(file: source, to: destination)
    }

    package var metricsLabel: String { "sqlite" }

    package var writeTransactionTotal: Int { WriteTransactionCounter.processTotal }
}
