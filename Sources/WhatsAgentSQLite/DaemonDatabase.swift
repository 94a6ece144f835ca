import Foundation
import GRDB
import WhatsAgentCore

/// `daemon.sqlite`: the workspace registry and daemon-wide settings. Every method is one transaction.
///
/// Methods are asynchronous, as the registry protocols are (PostgreSQL's driver is), and `nonisolated(nonsending)`: they
/// run GRDB's synchronous calls on the caller's executor, as when they were synchronous (a hop off the actor and back
/// for every request resolving its workspace measurably slowed a loaded test run). ``WorkspaceService`` runs its
/// lifecycle steps one at a time across the registry's suspension points (its `SerialGate`).
public struct DaemonDatabase: Sendable {
    let writer: any DatabaseWriter
    /// The workspace rows between writes (shared by copies of this value).
    let workspaceRows = WorkspaceRowCache()
    /// What this registry's commits changed; the row cache is dropped through it (shared by copies of this value).
    let feed = LocalStoreChangeFeed()

    package var changes: any StoreChangeFeed { self.feed }

    init(_ writer: any DatabaseWriter) {
        self.writer = writer
        let rows = self.workspaceRows
        self.feed.subscribe { change in
            if change == .workspaces { rows.invalidate() }
        }
    }

    /// Opens (creating and migrating) the file at `path`.
    public static func open(path: String) throws -> DaemonDatabase {
        DaemonDatabase(try DatabaseOpener.openPool(path: path, migrator: DaemonMigrations.migrator))
    }

    /// A fresh in-memory database, for tests.
    public static func inMemory() throws -> DaemonDatabase {
        DaemonDatabase(try DatabaseOpener.openInMemory(migrator: DaemonMigrations.migrator))
    }

    /// Closes the connections (checkpointing the WAL); later use fails with an error.
    nonisolated(nonsending) public func close() async throws {
        if let pool = self.writer as? DatabasePool {
            try pool.close()
        }
    }

    // MARK: - Writes

    /// Inserts a workspace, refusing a name another live workspace has.
    nonisolated(nonsending) package func insert(_ workspace: Workspace) async throws {
        defer { self.feed.publish(.workspaces) }
        try self.syncWrite { db in
            try Self.checkNameFree(workspace.name, except: workspace.id, db)
            try WorkspaceRecord(workspace).insert(db)
        }
    }

    /// Replaces a workspace row, refusing a name another live workspace has.
    nonisolated(nonsending) package func update(_ workspace: Workspace) async throws {
        defer { self.feed.publish(.workspaces) }
        try self.syncWrite { db in
            if workspace.status != .trashed {
                try Self.checkNameFree(workspace.name, except: workspace.id, db)
            }
            try WorkspaceRecord(workspace).update(db)
        }
    }

    nonisolated(nonsending) package func deleteWorkspace(_ id: WorkspaceID) async throws {
        defer { self.feed.publish(.workspaces) }
        _ = try self.syncWrite { db in
            try WorkspaceRecord.deleteOne(db, key: id.rawValue)
        }
    }

    nonisolated(nonsending) package func setSetting(_ key: String, _ value: String?, now: Date) async throws {
        try self.syncWrite { db in
            if let value {
                try SettingRecord(key: key, value: value, updatedAt: now).save(db)
            } else {
                _ = try SettingRecord.deleteOne(db, key: key)
            }
        }
    }

    // MARK: - Reads

    nonisolated(nonsending) package func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try self.syncRead { db in try WorkspaceRecord.fetchOne(db, key: id.rawValue)?.domain() }
    }

    /// Every workspace, oldest first; from memory unless a workspace row was written since the last read.
    nonisolated(nonsending) package func workspaces() async throws -> [Workspace] {
        let (cached, generation) = self.workspaceRows.lookup()
        if let cached { return cached }
        let rows = try self.syncRead { db in
            try WorkspaceRecord.order(WorkspaceRecord.Columns.createdAt, WorkspaceRecord.Columns.id).fetchAll(db)
                .map { try $0.domain() }
        }
        self.workspaceRows.store(rows, readAt: generation)
        return rows
    }

    nonisolated(nonsending) package func setting(_ key: String) async throws -> String? {
        try self.syncRead { db in try SettingRecord.fetchOne(db, key: key)?.value }
    }

    /// Writes a consistent copy of the database to `path` (SQLite online backup).
    nonisolated(nonsending) package func backup(to path: String) async throws {
        let destination = try DatabaseQueue(path: path)
        try self.writer.backup(to: destination)
        try destination.close()
    }

    // MARK: Helpers

    /// GRDB's synchronous write (an async context would pick its asynchronous overload): the registry's calls run on
    /// the caller's executor (`nonisolated(nonsending)`), as they did when the protocols were synchronous, without a
    /// hop to another executor and back for each call of the hot path (a request resolving its workspace).
    func syncWrite<T>(_ updates: (Database) throws -> T) throws -> T {
        try self.writer.write(updates)
    }

    /// GRDB's synchronous read; see ``syncWrite(_:)``.
    func syncRead<T>(_ value: (Database) throws -> T) throws -> T {
        try self.writer.read(value)
    }

    private static func checkNameFree(_ name: String, except id: WorkspaceID, _ db: Database) throws {
        let clash = try WorkspaceRecord.filter(
            sql: "name = ? COLLATE NOCASE AND status != 'trashed' AND id != ?",
            arguments: [name, id.rawValue]
        ).fetchOne(db)
        if let clash {
            throw DomainError(
                .nameTaken,
                "a workspace named '\(clash.name)' already exists; pick another name or rename that one with `whatsagent workspace set \(clash.name) --name NEW`"
            )
        }
    }
}

extension DaemonDatabase: DaemonStore, AuthStore {}
