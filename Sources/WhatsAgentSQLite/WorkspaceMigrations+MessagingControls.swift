import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v5-messaging-controls` (and any later migrations of this area, appended after it).
    ///
    /// - The `message` state `held` (loop guard, SPEC §7.5). SQLite cannot alter a CHECK constraint, so the table is
    ///   rebuilt with the same columns, ids and indexes, plus `message_pairWindow` for the loop guard's pair counts and
    ///   `message_sent` for retention.
    /// - `agent.muted`: the human muted the agent; its sends are refused.
    /// - `peerRule`: pairs of agents, stored normalised (lower id first) and removed with either agent.
    /// - `loopHold`: a pair held by the loop guard; `releasedAt` set once the human released it (the release time
    ///   also restarts the pair's counting window).
    /// - `messagingSetting`: per-workspace key/value settings of this area (`peerRules.mode`).
    static func registerMessagingControls(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-messaging-controls") { db in
            try db.create(table: "message_new") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('direct', 'broadcast', 'kanban')")
                t.column("fromAgentId", .text).references("agent", onDelete: .setNull)
                t.column("fromAddress", .text).notNull()
                t.column("toAgentId", .text).references("agent", onDelete: .setNull)
                t.column("toAddress", .text).notNull()
                t.column("threadId", .text).notNull()
                t.column("body", .text).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('queued', 'pushed', 'delivered', 'rejected', 'held')")
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
            try db.execute(sql: "CREATE INDEX message_pairWindow ON message(threadId, sentAt)")
            try db.execute(sql: "CREATE INDEX message_sent ON message(sentAt)")

            try db.alter(table: "agent") { t in
                t.add(column: "muted", .boolean).notNull().defaults(to: false)
            }

            try db.create(table: "peerRule") { t in
                t.column("lowAgentId", .text).notNull().references("agent", onDelete: .cascade)
                t.column("highAgentId", .text).notNull().references("agent", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["lowAgentId", "highAgentId"])
                t.check(sql: "lowAgentId < highAgentId")
            }
            try db.execute(sql: "CREATE INDEX peerRule_high ON peerRule(highAgentId)")

            try db.create(table: "loopHold") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("lowAgentId", .text).notNull().references("agent", onDelete: .cascade)
                t.column("highAgentId", .text).notNull().references("agent", onDelete: .cascade)
                // Display snapshots, as on messages.
                t.column("lowAddress", .text).notNull()
                t.column("highAddress", .text).notNull()
                t.column("heldAt", .datetime).notNull()
                t.column("releasedAt", .datetime)
                t.check(sql: "lowAgentId < highAgentId")
            }
            // At most one active hold per pair.
            try db.execute(sql: "CREATE UNIQUE INDEX loopHold_active ON loopHold(lowAgentId, highAgentId) WHERE releasedAt IS NULL")
            try db.execute(sql: "CREATE INDEX loopHold_pair ON loopHold(lowAgentId, highAgentId, releasedAt)")

            try db.create(table: "messagingSetting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
    }
}
