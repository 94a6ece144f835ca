import Foundation
import Logging
import PostgresNIO
import WhatsAgentCore

/// The web owner on a shared store: one password, recovery code, lock and set of sessions on every host. Only hashes
/// are stored. The setup token stays on the host that printed it (``PostgresRegistry/local``): each daemon's start
/// replaces its own, and a first password set through any of them wins once — the shared row is written only while it
/// holds no password.
extension PostgresRegistry {
    // MARK: - Credential

    /// The shared credential row, with this host's setup token; an empty one when nothing was ever stored.
    nonisolated(nonsending) package func authCredential() async throws -> AuthCredentialRecord {
        let local = try await self.local.authCredential()
        var record = try await self.transaction { connection, logger in
            try await Self.credential(on: connection, logger: logger)
        }
        record.setupTokenHash = local.setupTokenHash
        record.updatedAt = max(record.updatedAt, local.updatedAt)
        return record
    }

    /// Replaces this host's setup token (nil clears it) without touching the password.
    nonisolated(nonsending) package func setSetupTokenHash(_ hash: String?, now: Date) async throws {
        try await self.local.setSetupTokenHash(hash, now: now)
    }

    /// Stores a new password and recovery code hash. With `consumingSetupTokenHash`, only if that is this host's current
    /// setup token and no password is set on the shared row — checked in the statement that writes it, so of two setups
    /// (on one host or on two) exactly one wins; returns false otherwise.
    nonisolated(nonsending) package func setPassword(
        hash: String,
        recoveryHash: String?,
        consumingSetupTokenHash: String?,
        now: Date
    ) async throws -> Bool {
        if let expected = consumingSetupTokenHash {
            guard let current = try await self.local.authCredential().setupTokenHash, AuthSecret.constantTimeEqual(current, expected)
            else { return false }
        }
        let onlyFirst = consumingSetupTokenHash != nil
        let written = try await self.transaction { connection, logger in
            let rows = try await connection.query(
                """
                INSERT INTO auth_credential (id, password_hash, recovery_hash, updated_at) VALUES (1, \(hash), \(recoveryHash), \(now))
                ON CONFLICT (id) DO UPDATE SET password_hash = EXCLUDED.password_hash,
                    recovery_hash = coalesce(EXCLUDED.recovery_hash, auth_credential.recovery_hash), updated_at = EXCLUDED.updated_at
                WHERE NOT \(onlyFirst) OR auth_credential.password_hash IS NULL
                RETURNING id
                """,
                logger: logger
            )
            var written = false
            for try await _ in rows { written = true }
            return written
        }
        guard written else { return false }
        try await self.local.setSetupTokenHash(nil, now: now)
        return true
    }

    /// Replaces the recovery code hash.
    nonisolated(nonsending) package func setRecoveryHash(_ hash: String, now: Date) async throws {
        try await self.transaction { connection, logger in
            _ = try await connection.query(
                """
                INSERT INTO auth_credential (id, recovery_hash, updated_at) VALUES (1, \(hash), \(now))
                ON CONFLICT (id) DO UPDATE SET recovery_hash = EXCLUDED.recovery_hash, updated_at = EXCLUDED.updated_at
                """,
                logger: logger
            )
        }
    }

    /// Forgets the password and recovery code, ends every session on every host and clears the lock, in one
    /// transaction; then stores a fresh setup token on this host (the reset's link works here).
    nonisolated(nonsending) package func resetAuth(setupTokenHash: String, now: Date) async throws {
        try await self.transaction { connection, logger in
            _ = try await connection.query(
                """
                INSERT INTO auth_credential (id, password_hash, recovery_hash, locked_until, updated_at) VALUES (1, NULL, NULL, NULL, \(now))
                ON CONFLICT (id) DO UPDATE SET password_hash = NULL, recovery_hash = NULL, locked_until = NULL,
                    updated_at = EXCLUDED.updated_at
                """,
                logger: logger
            )
            try await connection.query("DELETE FROM auth_session", logger: logger)
            try await connection.query("DELETE FROM auth_failure", logger: logger)
            try await PostgresChangeFeed.notify(.webSessionsEnded, on: connection, logger: logger)
        }
        try await self.local.setSetupTokenHash(setupTokenHash, now: now)
    }

    // MARK: - Lockout

    /// Records a failed login and locks when `maximum` failures fell within `window`. Returns the lock's end, if locked.
    /// Failures from several hosts count together: each transaction holds the credential row's lock while it counts.
    nonisolated(nonsending) package func recordAuthFailure(
        now: Date,
        window: TimeInterval,
        maximum: Int,
        lockFor duration: TimeInterval
    ) async throws -> Date? {
        try await self.transaction { connection, logger in
            try await Self.lockCredential(now: now, on: connection, logger: logger)
            try await connection.query("DELETE FROM auth_failure WHERE at <= \(now.addingTimeInterval(-window))", logger: logger)
            try await connection.query("INSERT INTO auth_failure (at) VALUES (\(now))", logger: logger)
            var count = 0
            for try await number in try await connection.query("SELECT count(*) FROM auth_failure", logger: logger).decode(Int.self) {
                count = number
            }
            guard count >= maximum else { return nil }
            let until = now.addingTimeInterval(duration)
            try await connection.query(
                "UPDATE auth_credential SET locked_until = \(until), updated_at = \(now) WHERE id = 1",
                logger: logger
            )
            try await connection.query("DELETE FROM auth_failure", logger: logger)
            return until
        }
    }

    /// Forgets failed logins and any lock (after a successful login).
    nonisolated(nonsending) package func clearAuthFailures(now: Date) async throws {
        try await self.transaction { connection, logger in
            try await Self.lockCredential(now: now, on: connection, logger: logger)
            try await connection.query("DELETE FROM auth_failure", logger: logger)
            try await connection.query(
                "UPDATE auth_credential SET locked_until = NULL, updated_at = \(now) WHERE locked_until IS NOT NULL",
                logger: logger
            )
        }
    }

    // MARK: - Sessions

    nonisolated(nonsending) package func insertAuthSession(_ record: AuthSessionRecord) async throws {
        try await self.transaction { connection, logger in
            _ = try await connection.query(
                """
                INSERT INTO auth_session (id, token_hash, created_at, last_seen_at, expires_at, user_agent)
                VALUES (\(record.id), \(record.tokenHash), \(record.createdAt), \(record.lastSeenAt), \(record.expiresAt), \(record.userAgent))
                """,
                logger: logger
            )
        }
    }

    nonisolated(nonsending) package func authSession(tokenHash: String) async throws -> AuthSessionRecord? {
        try await self.transaction { connection, logger in
            try await Self.sessions(where: "WHERE token_hash = \(tokenHash)", on: connection, logger: logger).first
        }
    }

    /// Every session, newest first.
    nonisolated(nonsending) package func authSessions() async throws -> [AuthSessionRecord] {
        try await self.transaction { connection, logger in
            try await Self.sessions(where: "", on: connection, logger: logger)
        }
    }

    nonisolated(nonsending) package func touchAuthSession(id: String, now: Date) async throws {
        try await self.transaction { connection, logger in
            _ = try await connection.query("UPDATE auth_session SET last_seen_at = \(now) WHERE id = \(id)", logger: logger)
        }
    }

    /// Deletes one session; false when there was none with that id.
    nonisolated(nonsending) package func deleteAuthSession(id: String) async throws -> Bool {
        try await self.deleteSessions("DELETE FROM auth_session WHERE id = \(id) RETURNING id") > 0
    }

    /// Deletes every session but `id` (all of them when nil); returns how many were deleted.
    nonisolated(nonsending) package func deleteAuthSessions(except id: String?) async throws -> Int {
        if let id {
            return try await self.deleteSessions("DELETE FROM auth_session WHERE id <> \(id) RETURNING id")
        }
        return try await self.deleteSessions("DELETE FROM auth_session RETURNING id")
    }

    /// Deletes sessions past their absolute end or idle longer than `idle`.
    nonisolated(nonsending) package func deleteExpiredAuthSessions(now: Date, idle: TimeInterval) async throws {
        _ = try await self.deleteSessions(
            "DELETE FROM auth_session WHERE expires_at <= \(now) OR last_seen_at <= \(now.addingTimeInterval(-idle)) RETURNING id"
        )
    }

    // MARK: Helpers

    /// Runs a `DELETE … RETURNING id` of sessions; when it deleted any, every daemon's streams hear of it on commit.
    private func deleteSessions(_ statement: PostgresQuery) async throws -> Int {
        try await self.transaction { connection, logger in
            var deleted = 0
            for try await _ in try await connection.query(statement, logger: logger) { deleted += 1 }
            if deleted > 0 { try await PostgresChangeFeed.notify(.webSessionsEnded, on: connection, logger: logger) }
            return deleted
        }
    }

    private static func credential(on connection: PostgresConnection, logger: Logger) async throws -> AuthCredentialRecord {
        let rows = try await connection.query(
            "SELECT password_hash, recovery_hash, locked_until, updated_at FROM auth_credential WHERE id = 1",
            logger: logger
        )
        for try await (password, recovery, lockedUntil, updatedAt) in rows.decode((String?, String?, Date?, Date).self) {
            return AuthCredentialRecord(passwordHash: password, recoveryHash: recovery, lockedUntil: lockedUntil, updatedAt: updatedAt)
        }
        return AuthCredentialRecord(updatedAt: .distantPast)
    }

    /// Takes the credential row's lock for the rest of the transaction, creating an empty row first when there is none:
    /// the lockout's count and its lock are one step, whichever host counts.
    private static func lockCredential(now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO auth_credential (id, updated_at) VALUES (1, \(now)) ON CONFLICT (id) DO NOTHING",
            logger: logger
        )
        try await connection.query("SELECT id FROM auth_credential WHERE id = 1 FOR UPDATE", logger: logger)
    }

    /// The sessions `filter` selects (a `WHERE` clause or nothing), newest first.
    private static func sessions(
        where filter: PostgresQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> [AuthSessionRecord]
    {
        var query = PostgresQuery(unsafeSQL: "SELECT id, token_hash, created_at, last_seen_at, expires_at, user_agent FROM auth_session")
        query.sql += " " + filter.sql + " ORDER BY created_at DESC, id COLLATE \"C\""
        query.binds = filter.binds
        var sessions: [AuthSessionRecord] = []
        for try await (id, tokenHash, createdAt, lastSeenAt, expiresAt, userAgent) in try await connection.query(query, logger: logger)
            .decode((String, String, Date, Date, Date, String?).self)
        {
            sessions.append(
                AuthSessionRecord(
                    id: id,
                    tokenHash: tokenHash,
                    createdAt: createdAt,
                    lastSeenAt: lastSeenAt,
                    expiresAt: expiresAt,
                    userAgent: userAgent
                )
            )
        }
        return sessions
    }
}
