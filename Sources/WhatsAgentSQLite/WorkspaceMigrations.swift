import GRDB
import WhatsAgentCore

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
        migrator.registerMigration("v3-create-channel") { db in
            try db.create(table: "channel") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "channelMember") { t in
                t.belongsTo("channel", onDelete: .cascade).notNull()
                t.belongsTo("agent", onDelete: .cascade).notNull()
                t.column("joinedAt", .datetime).notNull()
                // Read cursor: the newest post this agent has acknowledged; it only moves forward.
                t.column("lastReadId", .integer).notNull().defaults(to: 0)
                // check_messages leases unread posts up to pendingReadId; the acknowledgement moves the cursor.
                t.column("pendingLeaseId", .text)
                t.column("pendingReadId", .integer)
                t.primaryKey(["channelId", "agentId"])
            }
            try db.create(table: "channelPost") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("channel", onDelete: .cascade).notNull()
                t.column("fromAgentId", .text).references("agent", onDelete: .setNull)
                t.column("fromAddress", .text).notNull()
                // Thread root; NULL for a root post.
                t.column("rootId", .integer).references("channelPost", onDelete: .cascade)
                t.column("body", .text).notNull()
                t.column("sentAt", .datetime).notNull()
            }
            try db.execute(sql: "CREATE INDEX channelPost_channel ON channelPost(channelId, id)")
            try db.execute(sql: "CREATE INDEX channelPost_root ON channelPost(rootId, id) WHERE rootId IS NOT NULL")
        }
        migrator.registerMigration("v4-create-rbac") { db in
            try db.create(table: "role") { t in
                t.primaryKey("name", .text).collate(.nocase)
                t.column("description", .text).notNull().defaults(to: "")
                t.column("isBuiltin", .boolean).notNull().defaults(to: false)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "roleGrant") { t in
                t.column("roleName", .text).notNull().collate(.nocase).references("role", onDelete: .cascade)
                t.column("kind", .text).notNull()
                    .check(sql: "kind IN ('tool_family', 'kanban_action', 'comment_type', 'channel_action', 'audit_grant', 'meta')")
                t.column("value", .text).notNull()
                // NULL: any scope. Only kanban_action grants are scoped.
                t.column("scope", .text)
                    .check(sql: "scope IS NULL OR (kind = 'kanban_action' AND scope IN ('own_assignment', 'created_by_self'))")
            }
            try db.execute(sql: "CREATE UNIQUE INDEX roleGrant_unique ON roleGrant(roleName, kind, value, ifnull(scope, ''))")
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("kind", .text).notNull()
                t.column("actorAddress", .text).notNull()
                // No foreign key: entries outlive the agent; actorAddress keeps them readable.
                t.column("actorAgentId", .text)
                t.column("tool", .text)
                t.column("expectedGrant", .text)
                t.column("outcome", .text).notNull()
                t.column("detailJSON", .text)
            }
            try db.execute(sql: "CREATE INDEX audit_at ON audit(at)")
            try db.execute(sql: "CREATE INDEX audit_kind ON audit(kind, at)")

            // The built-in roles (whatsagent-behaviour.md §14.3, plus create_channel for pm), as literals:
            // migrations never use app types. Grants are "kind:value" or "kind:value@scope".
            let families = ["messaging", "channel-read", "channel-write", "summary", "kanban-read", "kanban-comment"]
            let participant = ["post_channel_message", "reply_channel_thread", "read_channel_messages", "search_channel_messages"]
            let everyday = ["progress", "note", "blocker"]
            let verdicts = ["verdict_go", "verdict_no_go", "verdict_needs_revision"]
            let boardActions = [
                "create_task", "create_epic", "update_task", "update_epic", "archive_task", "archive_epic", "update_task_status",
                "update_epic_status", "request_epic_close", "cancel_epic_close", "comment_task", "comment_epic",
            ]
            let roles: [(name: String, description: String, grants: [String])] = [
                (
                    "pm",
                    "Project manager: plans and edits the board, moves any item, creates channels, broadcasts, gives verdicts, reads the audit log.",
                    (families + ["kanban-status", "kanban-admin"]).map { "tool_family:\($0)" }
                        + boardActions.map { "kanban_action:\($0)" }
                        + (everyday + verdicts).map { "comment_type:\($0)" }
                        + (participant + ["broadcast_message", "create_channel"]).map { "channel_action:\($0)" }
                        + ["audit_grant:audit_read", "audit_grant:audit_admin"]
                ),
                (
                    "engineer",
                    "Works on its own tasks: messages, channels, progress/note/blocker comments, status moves of what it is assigned.",
                    (families + ["kanban-status"]).map { "tool_family:\($0)" }
                        + ["update_task_status", "update_epic_status", "request_epic_close", "cancel_epic_close", "comment_task"]
                        .map { "kanban_action:\($0)@own_assignment" }
                        + ["kanban_action:comment_task@created_by_self"]
                        + everyday.map { "comment_type:\($0)" }
                        + participant.map { "channel_action:\($0)" }
                ),
                (
                    "reviewer",
                    "Reviews work: messages, channels, comments on any task or epic including verdicts, reads the audit log.",
                    families.map { "tool_family:\($0)" }
                        + ["kanban_action:comment_task", "kanban_action:comment_epic"]
                        + (everyday + verdicts).map { "comment_type:\($0)" }
                        + participant.map { "channel_action:\($0)" }
                        + ["audit_grant:audit_read"]
                ),
                (
                    "researcher",
                    "Researches and reports: messages, channels, progress/note/blocker comments on any task or epic.",
                    families.map { "tool_family:\($0)" }
                        + ["kanban_action:comment_task", "kanban_action:comment_epic"]
                        + everyday.map { "comment_type:\($0)" }
                        + participant.map { "channel_action:\($0)" }
                ),
                (
                    "restricted",
                    "Read-only: reads channels and the board, sets its summary.",
                    ["tool_family:channel-read", "tool_family:summary", "tool_family:kanban-read"]
                        + ["channel_action:read_channel_messages", "channel_action:search_channel_messages"]
                ),
                ("operator", "Stands in for the human operator; grants no tools by itself.", ["meta:is_operator_surrogate"]),
            ]
            let now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
            for role in roles {
                try db.execute(
                    sql: "INSERT INTO role (name, description, isBuiltin, createdAt, updatedAt) VALUES (?, ?, 1, \(now), \(now))",
                    arguments: [role.name, role.description]
                )
                for grant in role.grants {
                    let parts = grant.split(separator: "@", maxSplits: 1).map(String.init)
                    let kindValue = parts[0].split(separator: ":", maxSplits: 1).map(String.init)
                    try db.execute(
                        sql: "INSERT INTO roleGrant (roleName, kind, value, scope) VALUES (?, ?, ?, ?)",
                        arguments: [role.name, kindValue[0], kindValue[1], parts.count > 1 ? parts[1] : nil]
                    )
                }
            }
        }
        migrator.registerMigration("v4-message-kind-kanban") { db in
            // Board notifications travel through the inbox as kind `kanban` (SPEC §9). SQLite cannot alter a CHECK
            // constraint, so the table is rebuilt with the same columns and indexes.
            try db.create(table: "message_new") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('direct', 'broadcast', 'kanban')")
                t.column("fromAgentId", .text).references("agent", onDelete: .setNull)
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
                t.column("leaseId", .text)
                t.column("leaseSessionId", .text)
                t.column("deliveries", .integer).notNull().defaults(to: 0)
            }
            try db.execute(sql: "INSERT INTO message_new SELECT * FROM message")
            try db.drop(table: "message")
            try db.rename(table: "message_new", to: "message")
            try db.execute(
                sql: "CREATE UNIQUE INDEX message_clientId ON message(fromAddress, clientMessageId) WHERE clientMessageId IS NOT NULL"
            )
            try db.execute(sql: "CREATE INDEX message_inbox ON message(toAgentId, state, id)")
            try db.execute(sql: "CREATE INDEX message_lease ON message(leaseId) WHERE leaseId IS NOT NULL")
        }
        registerMessagingControls(in: &migrator)
        registerMessageSearch(in: &migrator)
        registerBoard(in: &migrator)
        registerRunners(in: &migrator)
        registerLoopGuardIndex(in: &migrator)
        registerAckedLease(in: &migrator)
        registerWorktrees(in: &migrator)
        registerDeliveryStates(in: &migrator)
        registerUnassignedTasks(in: &migrator)
        registerPushConfirmation(in: &migrator)
        registerMailSummary(in: &migrator)
        registerWaitingMailCount(in: &migrator)
        return migrator
    }
}
