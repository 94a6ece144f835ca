import Logging
import PostgresNIO
import WhatsAgentCore

/// The shared schema's migrations (forward only; append new ones last). The whole schema's version is one row of
/// `whatsagent_schema`; migrating runs in one transaction under an advisory lock, so daemons starting together
/// migrate once and a failed migration leaves the previous version whole.
enum PostgresMigrations {
    /// The advisory lock key that serialises migrations (`pg_advisory_xact_lock`).
    static let lockKey: Int64 = 0x5741_5343_4845_4D41

    /// Each migration's statements, version `index + 1`.
    static let all: [[String]] = [
        PostgresSchema.version1,
        PostgresSchema.sessionHost,
        Self.boardSearchWords,
    ]

    static var latest: Int { self.all.count }

    /// The oldest server the schema runs on (`server_version_num`): 15 sets one column of a foreign key to NULL.
    static let minimumServer = 150_000

    /// Brings the schema to ``latest`` inside the caller's transaction.
    /// - Throws: `database_too_new` when the database's version is newer than this binary's.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        var server = 0
        for try await number in try await connection.query("SELECT current_setting('server_version_num')::int", logger: logger)
            .decode(Int.self)
        {
            server = number
        }
        guard server >= Self.minimumServer else {
            throw DomainError(
                .configuration,
                "the PostgreSQL server is version \(server / 10000); the store needs PostgreSQL 15 or newer"
            )
        }
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS whatsagent_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)",
            logger: logger
        )
        var current = 0
        for try await version in try await connection.query("SELECT version FROM whatsagent_schema", logger: logger).decode(Int.self) {
            current = version
        }
        guard current <= Self.latest else {
            throw DomainError(
                .databaseTooNew,
                "the PostgreSQL store was migrated by a newer WhatsAgent (schema \(current); this binary knows up to "
                    + "\(Self.latest)): upgrade whatsagent on this host, as on the others"
            )
        }
        guard current < Self.latest else { return }
        for version in (current + 1)...Self.latest {
            for statement in Self.all[version - 1] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            logger.info("store schema migrated", metadata: ["version": "\(version)"])
        }
        try await connection.query(
            """
            INSERT INTO whatsagent_schema (id, version) VALUES (1, \(Self.latest))
            ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version
            """,
            logger: logger
        )
    }
}
