import Foundation
import GRDB
import WhatsAgentCore

/// Opens SQLite files the way every WhatsAgent database is opened: WAL (a `DatabasePool`), `synchronous=NORMAL`,
/// foreign keys on, and a refusal to touch a database written by a newer version.
enum DatabaseOpener {
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Opens (creating if needed) the file at `path` and migrates it.
    static func openPool(path: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: self.configuration())
        } catch {
            throw DomainError(.storage, "cannot open database \(path): \(error)")
        }
        try self.migrate(pool, migrator: migrator, file: path)
        return pool
    }

    /// An in-memory database for tests.
    static func openInMemory(migrator: DatabaseMigrator) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: self.configuration())
        try self.migrate(queue, migrator: migrator, file: ":memory:")
        return queue
    }

    /// Migrates forward; refuses a database that holds migrations this binary does not know.
    static func migrate(_ writer: some DatabaseWriter, migrator: DatabaseMigrator, file: String) throws {
        let unknown = try writer.read { db in
            try Set(migrator.appliedIdentifiers(db)).subtracting(migrator.migrations)
        }
        guard unknown.isEmpty else {
            throw DomainError(
                .databaseTooNew,
                "\(file) was written by a newer WhatsAgent (it has migrations this version does not know: \(unknown.sorted().joined(separator: ", "))); upgrade whatsagent, or start this version with another --home"
            )
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw DomainError(.storage, "cannot migrate \(file): \(error)")
        }
    }
}
