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
        migrator.registerMigration("v2-add-session-token") { db in
            try db.alter(table: "session") { t in
                // SHA-256 of the session token; the token itself is never stored.
                t.add(column: "tokenHash", .text)
                t.add(column: "runtime", .text)
                t.add(column: "summary", .text)
                t.add(column: "mcpConfigPath", .text)
            }
            try db.execute(sql: "CREATE UNIQUE INDEX session_token ON session(tokenHash) WHERE tokenHash IS NOT NULL")
        }
        migrator.registerMigration("v2-create-message") { db in
            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('direct', 'broadcast')")
                t.column("fromAgentId", .text).references("agent", onDelete: .setNull)
                // Display snapshots: history stays readable after agents are removed.
                t.column("fromAddress", .text).notNull()
                t.column("toAgentId", .text).references("agent", onDelete: .setNull)
                t.column("toAddress", .text).notNull()
                t.column("threadId", .text).notNull()
                t.column("body", .text).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('queued', 'pushed', 'delivered', 'rejected')")
                t.column("rejection", .text)
                t.column("clientMessageId", .text)
                t.column("sentAt", .datetime).notNull()
                t.column("pushedAt", .datetime)
                t.column("deliveredAt", .datetime)
                // At-least-once delivery: check_messages leases, the MCP server acknowledges.
                t.column("leaseId", .text)
                t.column("leaseSessionId", .text)
                t.column("deliveries", .integer).notNull().defaults(to: 0)
            }
            try db.execute(
                sql: "CREATE UNIQUE INDEX message_clientId ON message(fromAddress, clientMessageId) WHERE clientMessageId IS NOT NULL"
            )
            try db.execute(sql: "CREATE INDEX message_inbox ON message(toAgentId, state, id)")
            try db.execute(sql: "CREATE INDEX message_lease ON message(leaseId) WHERE leaseId IS NOT NULL")
        }
        return migrator
    }
}
