import Foundation
import GRDB
import WhatsAgentCore

/// `daemon.sqlite`: the workspace registry and daemon-wide settings. Every method is one transaction.
///
/// Methods are asynchronous, as the registry protocols are (PostgreSQL's driver is): GRDB's own asynchronous
/// `read`/`write` wait for the database without holding a thread of the cooperative pool. ``WorkspaceService`` runs its
/// lifecycle steps one at a time across these suspension points (its `SerialGate`).
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
    public func close() async throws {
        if let pool = self.writer as? DatabasePool {
            try pool.close()
        }
    }

    // MARK: - Writes

    /// Inserts a workspace, refusing a name another live workspace has.
    package func insert(_ workspace: Workspace) async throws {
        defer { self.feed.publish(.workspaces) }
        try await self.writer.write { db in
            try Self.checkNameFree(workspace.name, except: workspace.id, db)
            try WorkspaceRecord(workspace).insert(db)
        }
    }

    /// Replaces a workspace row, refusing a name another live workspace has.
    package func update(_ workspace: Workspace) async throws {
        defer { self.feed.publish(.workspaces) }
        try await self.writer.write { db in
            if workspace.status != .trashed {
                try Self.checkNameFree(workspace.name, except: workspace.id, db)
            }
            try WorkspaceRecord(workspace).update(db)
        }
    }

    package func deleteWorkspace(_ id: WorkspaceID) async throws {
        defer { self.feed.publish(.workspaces) }
        _ = try await self.writer.write { db in
            try WorkspaceRecord.deleteOne(db, key: id.rawValue)
        }
    }

    package func setSetting(_ key: String, _ value: String?, now: Date) async throws {
        try await self.writer.write { db in
            if let value {
                try SettingRecord(key: key, value: value, updatedAt: now).save(db)
            } else {
                _ = try SettingRecord.deleteOne(db, key: key)
            }
        }
    }

    // MARK: - Reads

    package func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await self.writer.read { db in try WorkspaceRecord.fetchOne(db, key: id.rawValue)?.domain() }
    }

    /// Every workspace, oldest first; from memory unless a workspace row was written since the last read.
    package func workspaces() async throws -> [Workspace] {
        let (cached, generation) = self.workspaceRows.lookup()
        if let cached { return cached }
        let rows = try await self.writer.read { db in
            try WorkspaceRecord.order(WorkspaceRecord.Columns.createdAt, WorkspaceRecord.Columns.id).fetchAll(db)
                .map { try $0.domain() }
        }
        self.workspaceRows.store(rows, readAt: generation)
        return rows
    }

    package func setting(_ key: String) async throws -> String? {
        try await self.writer.read { db in try SettingRecord.fetchOne(db, key: key)?.value }
    }

    /// Writes a consistent copy of the database to `path` (SQLite online backup).
    package func backup(to path: String) async throws {
        let destination = try DatabaseQueue(path: path)
        try self.writer.backup(to: destination)
        try destination.close()
    }

    // MARK: Helpers

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
