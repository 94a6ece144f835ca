import Foundation
import Logging
import PostgresNIO
import Synchronization
import WhatsAgentAPI
import WhatsAgentCore

/// The daemon's registry on a store several daemons share (issue 22): workspace rows, settings, the web owner's
/// credential, sessions and sign-in failures live in PostgreSQL, one use case one transaction; what must stay on this
/// host — the runtime settings (the database never decides what another host executes) and the setup token (the link
/// `whatsagent start` printed on this host, replaced at each start) — stays in `local`, the home's `daemon.sqlite`.
///
/// Workspace rows are kept in memory between writes, as on SQLite (``WorkspaceRowCache``): this store drops them after
/// each of its own commits, and its change feed drops them when any daemon's commit is notified (the listener's
/// catch-up after a reconnect and its periodic scan too). While the listener is not listening a notice may be lost,
/// so the rows are then read from the database every time and never kept.
package final class PostgresRegistry: DaemonStore, AuthStore, Sendable {
    let database: PostgresStoreDatabase
    /// Host-local rows: runtime settings and the setup token.
    let local: any DaemonStore & AuthStore
    let feed: PostgresChangeFeed
    let workspaceRows = WorkspaceRowCache()
    private let closed = Atomic(false)

    package var changes: any StoreChangeFeed { self.feed }

    private init(database: PostgresStoreDatabase, local: any DaemonStore & AuthStore, feed: PostgresChangeFeed) {
        (self.database, self.local, self.feed) = (database, local, feed)
    }

    /// The registry over `database`, with this daemon's listener started (stopped by ``close()``).
    /// - Parameters:
    ///   - local: the home's registry, for what stays on this host.
    ///   - scanInterval: how often the listener tells the subscribers that everything may have changed
    ///     (`[store] catch_up_scan_seconds`).
    package static func open(
        database: PostgresStoreDatabase,
        local: any DaemonStore & AuthStore,
        scanInterval: Duration
    ) -> PostgresRegistry {
        let feed = PostgresChangeFeed()
        let registry = PostgresRegistry(database: database, local: local, feed: feed)
        let rows = registry.workspaceRows
        feed.subscribe { change in
            if change == .workspaces { rows.invalidate() }
        }
        feed.start(database, scanInterval: scanInterval)
        return registry
    }

    /// Stops the listener and closes the local store; later use fails. The pool belongs to whoever opened it.
    nonisolated(nonsending) package func close() async throws {
        self.closed.store(true, ordering: .sequentiallyConsistent)
        self.feed.stop()
        try await self.local.close()
    }

    /// Runs `body` as one transaction of the shared store.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) async throws -> Result {
        guard !self.closed.load(ordering: .sequentiallyConsistent) else {
            throw DomainError(.storage, "the registry on \(self.database.address) is closed")
        }
        let logger = self.database.logger
        return try await self.database.transaction { connection in try await body(connection, logger) }
    }

    // MARK: - Workspaces

    /// Inserts a workspace (and its built-in roles), refusing a name another live workspace has.
    nonisolated(nonsending) package func insert(_ workspace: Workspace) async throws {
        defer { self.workspaceRows.invalidate() }
        try await self.transaction { connection, logger in
            try await PostgresWorkspaces.insert(workspace, on: connection, logger: logger)
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: logger)
        }
    }

    /// Replaces a workspace row, refusing a name another live workspace has.
    nonisolated(nonsending) package func update(_ workspace: Workspace) async throws {
        defer { self.workspaceRows.invalidate() }
        try await self.transaction { connection, logger in
            try await PostgresWorkspaces.update(workspace, on: connection, logger: logger)
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: logger)
        }
    }

    /// Deletes a workspace row and, through the schema's cascades, everything of the workspace.
    nonisolated(nonsending) package func deleteWorkspace(_ id: WorkspaceID) async throws {
        defer { self.workspaceRows.invalidate() }
        try await self.transaction { connection, logger in
            _ = try await connection.query("DELETE FROM workspace WHERE id = \(id.rawValue)", logger: logger)
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: logger)
        }
    }

    nonisolated(nonsending) package func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await self.transaction { connection, logger in
            try await PostgresWorkspaces.select(where: "WHERE id = \(id.rawValue)", on: connection, logger: logger).first
        }
    }

    /// Every workspace, oldest first; from memory while the listener listens and no workspace row was written since
    /// the last read.
    nonisolated(nonsending) package func workspaces() async throws -> [Workspace] {
        let (cached, generation) = self.workspaceRows.lookup()
        if let cached, self.feed.listenerState.listening { return cached }
        let rows = try await self.transaction { connection, logger in
            try await PostgresWorkspaces.select(where: "", on: connection, logger: logger)
        }
        if self.feed.listenerState.listening { self.workspaceRows.store(rows, readAt: generation) }
        return rows
    }

    // MARK: - Settings

    nonisolated(nonsending) package func setSetting(_ key: String, _ value: String?, now: Date) async throws {
        try await self.transaction { connection, logger in
            if let value {
                _ = try await connection.query(
                    """
                    INSERT INTO setting (key, value, updated_at) VALUES (\(key), \(value), \(now))
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
                    """,
                    logger: logger
                )
            } else {
                _ = try await connection.query("DELETE FROM setting WHERE key = \(key)", logger: logger)
            }
        }
    }

    nonisolated(nonsending) package func setting(_ key: String) async throws -> String? {
        try await self.transaction { connection, logger in
            for try await value in try await connection.query("SELECT value FROM setting WHERE key = \(key)", logger: logger)
                .decode(String.self)
            {
                return value
            }
            return nil
        }
    }

    /// Host-local: kept in this home's `daemon.sqlite`.
    nonisolated(nonsending) package func runtimeSetting(_ runtime: Runtime) async throws -> StoredRuntimeSetting? {
        try await self.local.runtimeSetting(runtime)
    }

    /// Host-local: kept in this home's `daemon.sqlite`.
    nonisolated(nonsending) package func setRuntimeSetting(_ runtime: Runtime, _ stored: StoredRuntimeSetting, now: Date) async throws {
        try await self.local.setRuntimeSetting(runtime, stored, now: now)
    }

    /// Refused: `whatsagent backup` copies SQLite files; the shared database is backed up with PostgreSQL's own tool.
    nonisolated(nonsending) package func backup(to path: String) async throws {
        throw DomainError(
            .invalidState,
            "this daemon's store is the PostgreSQL database \(self.database.address.database), which `whatsagent backup` cannot copy; "
                + "back it up with `pg_dump --format=custom --file=whatsagent.dump '\(self.database.address)'` (the password from "
                + "PGPASSWORD) and keep a copy of this home's daemon.toml and daemon.sqlite (runtime settings stay on each host)"
        )
    }
}

extension PostgresWorkspaces {
    /// Replaces a workspace row in the caller's transaction.
    /// - Throws: `name_taken` when another live workspace has its name, `workspace_not_found` when there is no such row.
    static func update(_ workspace: Workspace, on connection: PostgresConnection, logger: Logger) async throws {
        var updated = 0
        do {
            let rows = try await connection.query(
                """
                UPDATE workspace SET name = \(workspace.name), status = \(workspace.status.rawValue),
                    topology = \(workspace.topology.rawValue), rbac_mode = \(workspace.rbacMode.rawValue),
                    kanban_prefix = \(workspace.kanbanPrefix), epic_prefix = \(workspace.epicPrefix),
                    max_body_chars = \(workspace.maxBodyChars), chat_retention_days = \(workspace.chatRetention.days),
                    rate_limit_per_minute = \(workspace.rateLimit.number), loop_guard = \(workspace.loopGuard.number),
                    colleague_protocol = \(workspace.colleagueProtocol), created_at = \(workspace.createdAt),
                    updated_at = \(workspace.updatedAt), trashed_at = \(workspace.trashedAt)
                WHERE id = \(workspace.id.rawValue)
                RETURNING id
                """,
                logger: logger
            )
            for try await _ in rows { updated += 1 }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Self.nameTaken(workspace.name)
        }
        guard updated == 1 else { throw DomainError.workspaceNotFound(workspace.id.rawValue) }
    }

    /// The refusal of a name another live workspace has (the same words as on SQLite).
    static func nameTaken(_ name: String) -> DomainError {
        DomainError(
            .nameTaken,
            "a workspace named '\(name)' already exists; pick another name or rename that one with `whatsagent workspace set \(name) --name NEW`"
        )
    }

    /// The workspace rows `filter` selects (a `WHERE` clause or nothing), oldest first.
    static func select(where filter: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Workspace] {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT id, name, status, topology, rbac_mode, kanban_prefix, epic_prefix, max_body_chars, chat_retention_days,
                    rate_limit_per_minute, loop_guard, colleague_protocol, created_at, updated_at, trashed_at
                FROM workspace
                """
        )
        query.sql += " " + filter.sql + " ORDER BY created_at, id COLLATE \"C\""
        query.binds = filter.binds
        var workspaces: [Workspace] = []
        let rows = try await connection.query(query, logger: logger)
        for try await row in rows.decode(
            (String, String, String, String, String, String, String, Int, Int?, Int?, Int?, String?, Date, Date, Date?).self
        ) {
            let (id, name, status, topology, rbacMode, kanbanPrefix, epicPrefix, maxBodyChars) =
                (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7)
            guard let status = Workspace.Status(rawValue: status), let topology = Topology(rawValue: topology),
                let rbacMode = RBACMode(rawValue: rbacMode)
            else {
                throw DomainError(.storage, "workspace \(id) has an unreadable row in the PostgreSQL store")
            }
            workspaces.append(
                Workspace(
                    id: WorkspaceID(rawValue: id),
                    name: name,
                    status: status,
                    topology: topology,
                    rbacMode: rbacMode,
                    kanbanPrefix: kanbanPrefix,
                    epicPrefix: epicPrefix,
                    maxBodyChars: maxBodyChars,
                    chatRetention: row.8.map(Retention.days) ?? .forever,
                    rateLimit: row.9.map(Limit.value) ?? .off,
                    loopGuard: row.10.map(Limit.value) ?? .off,
                    createdAt: row.12,
                    updatedAt: row.13,
                    trashedAt: row.14,
                    colleagueProtocol: row.11
                )
            )
        }
        return workspaces
    }
}
