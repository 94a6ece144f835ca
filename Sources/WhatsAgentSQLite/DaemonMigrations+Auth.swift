import GRDB
import WhatsAgentCore

/// The web login's tables in `daemon.sqlite` (SPEC §3, §11): the single credential row (password, recovery code and
/// setup token hashes, lock), browser sessions (token hashes only) and recent failed logins (for the lockout).
extension DaemonMigrations {
    static func registerAuth(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-create-auth") { db in
            try db.create(table: "authCredential") { t in
                t.primaryKey("id", .integer).check(sql: "id = 1")
                t.column("passwordHash", .text)
                t.column("recoveryHash", .text)
                t.column("setupTokenHash", .text)
                t.column("lockedUntil", .datetime)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "authSession") { t in
                t.primaryKey("id", .text)
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("userAgent", .text)
            }
            try db.create(table: "authFailure") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
            }
        }
    }
}
