import GRDB

/// Migrations of each workspace's `whatsagent.sqlite`. Append-only.
enum WorkspaceMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-create-repo") { db in
            try db.create(table: "repo") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("path", .text).notNull().unique(onConflict: .abort)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v1-create-agent") { db in
            try db.create(table: "agent") { t in
                t.primaryKey("id", .text)
                t.belongsTo("repo", onDelete: .cascade).notNull()
                t.column("name", .text).notNull().collate(.nocase)
                t.column("runtime", .text).notNull()
                t.column("command", .text)
                t.column("argsJSON", .text).notNull().defaults(to: "[]")
                t.column("isMain", .boolean).notNull().defaults(to: false)
                t.column("pushEnabled", .boolean).notNull().defaults(to: true)
                t.column("personaJSON", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["repoId", "name"])
            }
            // At most one main agent per workspace.
            try db.execute(sql: "CREATE UNIQUE INDEX agent_main ON agent(isMain) WHERE isMain = 1")
            try db.create(table: "agentRole") { t in
                t.belongsTo("agent", onDelete: .cascade).notNull()
                t.column("roleName", .text).notNull()
                t.primaryKey(["agentId", "roleName"])
            }
        }
        migrator.registerMigration("v1-create-session") { db in
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.belongsTo("agent", onDelete: .setNull)
                // Display snapshot, so history stays readable after the agent is removed.
                t.column("agentAddress", .text).notNull()
                t.column("kind", .text).notNull().check(sql: "kind IN ('managed', 'external')")
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("endReason", .text)
            }
            // At most one live session per agent.
            try db.execute(sql: "CREATE UNIQUE INDEX session_live ON session(agentId) WHERE endedAt IS NULL")
        }
        return migrator
    }
}
