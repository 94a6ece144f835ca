import Foundation
import GRDB
import WhatsAgentCore

/// Persistence of the web login in `daemon.sqlite`. Only hashes are stored: bcrypt for the password and the
/// recovery code, SHA-256 for the setup token and session tokens.
extension DaemonDatabase {
    // MARK: - Credential

    /// The single credential row; an empty one when nothing was ever stored.
    nonisolated(nonsending) package func authCredential() async throws -> AuthCredentialRecord {
        try self.syncRead { db in try AuthCredentialRecord.fetchOne(db, key: 1) } ?? AuthCredentialRecord(updatedAt: .distantPast)
    }

    /// Replaces the setup token (nil clears it) without touching the password.
    nonisolated(nonsending) package func setSetupTokenHash(_ hash: String?, now: Date) async throws {
        try self.syncWrite { db in
            var record = try AuthCredentialRecord.fetchOne(db, key: 1) ?? AuthCredentialRecord(updatedAt: now)
            record.setupTokenHash = hash
            record.updatedAt = now
            try record.save(db)
        }
    }

    /// Stores a new password and recovery code hash. With `consumingSetupTokenHash`, only if that setup token is
    /// still the current one and no password is set (so two setups cannot both win); returns false otherwise.
    nonisolated(nonsending) package func setPassword(
        hash: String,
        recoveryHash: String?,
        consumingSetupTokenHash: String?,
        now: Date
    ) async throws -> Bool {
        try self.syncWrite { db in
            var record = try AuthCredentialRecord.fetchOne(db, key: 1) ?? AuthCredentialRecord(updatedAt: now)
            if let expected = consumingSetupTokenHash {
                guard record.passwordHash == nil, let current = record.setupTokenHash,
                    AuthSecret.constantTimeEqual(current, expected)
                else { return false }
            }
            record.passwordHash = hash
            if let recoveryHash { record.recoveryHash = recoveryHash }
            record.setupTokenHash = nil
            record.updatedAt = now
            try record.save(db)
            return true
        }
    }

    /// Replaces the recovery code hash.
    nonisolated(nonsending) package func setRecoveryHash(_ hash: String, now: Date) async throws {
        try self.syncWrite { db in
            var record = try AuthCredentialRecord.fetchOne(db, key: 1) ?? AuthCredentialRecord(updatedAt: now)
            record.recoveryHash = hash
            record.updatedAt = now
            try record.save(db)
        }
    }

    /// Forgets the password and recovery code, ends every session and clears the lock; stores a fresh setup token.
    nonisolated(nonsending) package func resetAuth(setupTokenHash: String, now: Date) async throws {
        defer { self.feed.publish(.webSessionsEnded) }
        try self.syncWrite { db in
            try AuthCredentialRecord(setupTokenHash: setupTokenHash, updatedAt: now).save(db)
            try AuthSessionRecord.deleteAll(db)
            try db.execute(sql: "DELETE FROM authFailure")
        }
    }

    // MARK: - Lockout

    /// Records a failed login and locks when `maximum` failures fell within `window`. Returns the lock's end, if locked.
    nonisolated(nonsending) package func recordAuthFailure(
        now: Date,
        window: TimeInterval,
        maximum: Int,
        lockFor duration: TimeInterval
    ) async throws -> Date? {
        try self.syncWrite { db in
            try db.execute(sql: "DELETE FROM authFailure WHERE at <= ?", arguments: [now.addingTimeInterval(-window)])
            try db.execute(sql: "INSERT INTO authFailure (at) VALUES (?)", arguments: [now])
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM authFailure") ?? 0
            guard count >= maximum else { return nil }
            let until = now.addingTimeInterval(duration)
            var record = try AuthCredentialRecord.fetchOne(db, key: 1) ?? AuthCredentialRecord(updatedAt: now)
            record.lockedUntil = until
            record.updatedAt = now
            try record.save(db)
            try db.execute(sql: "DELETE FROM authFailure")
            return until
        }
    }

    /// Forgets failed logins and any lock (after a successful login).
    nonisolated(nonsending) package func clearAuthFailures(now: Date) async throws {
        try self.syncWrite { db in
            try db.execute(sql: "DELETE FROM authFailure")
            try db.execute(sql: "UPDATE authCredential SET lockedUntil = NULL, updatedAt = ? WHERE lockedUntil IS NOT NULL", arguments: [now])
        }
    }

    // MARK: - Sessions

    nonisolated(nonsending) package func insertAuthSession(_ record: AuthSessionRecord) async throws {
        try self.syncWrite { db in try record.insert(db) }
    }

    nonisolated(nonsending) package func authSession(tokenHash: String) async throws -> AuthSessionRecord? {
        try self.syncRead { db in
            try AuthSessionRecord.filter(Column("tokenHash") == tokenHash).fetchOne(db)
        }
    }

    nonisolated(nonsending) package func authSessions() async throws -> [AuthSessionRecord] {
        try self.syncRead { db in
            try AuthSessionRecord.order(Column("createdAt").desc, Column("id")).fetchAll(db)
        }
    }

    nonisolated(nonsending) package func touchAuthSession(id: String, now: Date) async throws {
        try self.syncWrite { db in
            try db.execute(sql: "UPDATE authSession SET lastSeenAt = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Deletes one session; false when there was none with that id.
    nonisolated(nonsending) package func deleteAuthSession(id: String) async throws -> Bool {
        let deleted = try self.syncWrite { db in try AuthSessionRecord.deleteOne(db, key: id) }
        if deleted { self.feed.publish(.webSessionsEnded) }
        return deleted
    }

    /// Deletes every session but `id` (all of them when nil); returns how many were deleted.
    nonisolated(nonsending) package func deleteAuthSessions(except id: String?) async throws -> Int {
        let deleted = try self.syncWrite { db in
            if let id {
                return try AuthSessionRecord.filter(Column("id") != id).deleteAll(db)
            }
            return try AuthSessionRecord.deleteAll(db)
        }
        if deleted > 0 { self.feed.publish(.webSessionsEnded) }
        return deleted
    }

    /// Deletes sessions past their absolute end or idle longer than `idle`.
    nonisolated(nonsending) package func deleteExpiredAuthSessions(now: Date, idle: TimeInterval) async throws {
        let deleted = try self.syncWrite { db in
            try db.execute(
                sql: "DELETE FROM authSession WHERE expiresAt <= ? OR lastSeenAt <= ?",
                arguments: [now, now.addingTimeInterval(-idle)]
            )
            return db.changesCount
        }
        if deleted > 0 { self.feed.publish(.webSessionsEnded) }
    }
}

extension AuthCredentialRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "authCredential"
}

extension AuthSessionRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "authSession"
}
