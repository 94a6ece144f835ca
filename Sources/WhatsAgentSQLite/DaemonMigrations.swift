import GRDB
import WhatsAgentCore

/// Migrations of `daemon.sqlite`. Append-only: a shipped migration is never edited; the schema is written with
/// strings, never with record types.
enum DaemonMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-create-workspace") { db in
            try db.create(table: "workspace") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('creating', 'active', 'trashed')")
                t.column("topology", .text).notNull()
                t.column("rbacMode", .text).notNull()
                t.column("kanbanPrefix", .text).notNull()
                t.column("epicPrefix", .text).notNull()
                t.column("maxBodyChars", .integer).notNull()
                t.column("chatRetentionDays", .integer)
                t.column("rateLimitPerMinute", .integer)
                t.column("loopGuard", .integer)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("trashedAt", .datetime)
            }
            // Names are unique among live workspaces only: trashed ones may repeat a name.
            try db.execute(
                sql: "CREATE UNIQUE INDEX workspace_liveName ON workspace(name COLLATE NOCASE) WHERE status != 'trashed'"
            )
        }
        migrator.registerMigration("v1-create-setting") { db in
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        self.registerAuth(&migrator)
        self.registerColleagueProtocol(&migrator)
        return migrator
    }
}
