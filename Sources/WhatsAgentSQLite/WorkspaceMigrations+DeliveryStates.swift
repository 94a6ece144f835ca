import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v13-message-delivery-states` (SPEC §7.2, issue 16): the states become queued → pushed → surfaced →
    /// acknowledged, plus held and rejected.
    ///
    /// - A `delivered` message was returned and its lease acknowledged: it becomes `acknowledged`, its time kept in
    ///   `deliveredAt`, which now means "acknowledged at".
    /// - New columns: `pushPath` (the path of the hint that pushed it) and `surfacedAt` (when `check_messages` returned
    ///   it); NULL for messages from before.
    /// - SQLite cannot alter a CHECK constraint, so the table is rebuilt with the same ids and indexes, and the search
    ///   triggers are created again and the index rebuilt (see ``registerMessageSearch(in:)``).
    static func registerDeliveryStates(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-message-delivery-states") { db in
            try db.create(table: "message_new") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('direct', 'broadcast', 'kanban')")
                t.column("fromAgentId", .text).references("agent", onDelete: .setNull)
                t.column("fromAddress", .text).notNull()
                t.column("toAgentId", .text).references("agent", onDelete: .setNull)
                t.column("toAddress", .text).notNull()
                t.column("threadId", .text).notNull()
                t.column("body", .text).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN ('queued', 'pushed', 'surfaced', 'acknowledged', 'rejected', 'held')")
                t.column("rejection", .text)
                t.column("clientMessageId", .text)
                t.column("sentAt", .datetime).notNull()
                t.column("pushedAt", .datetime)
                t.column("deliveredAt", .datetime)
                t.column("leaseId", .text)
                t.column("leaseSessionId", .text)
                t.column("deliveries", .integer).notNull().defaults(to: 0)
                t.column("pushPath", .text)
                t.column("surfacedAt", .datetime)
            }
            try db.execute(
                sql: """
                    INSERT INTO message_new (id, kind, fromAgentId, fromAddress, toAgentId, toAddress, threadId, body, state,
                                             rejection, clientMessageId, sentAt, pushedAt, deliveredAt, leaseId,
                                             leaseSessionId, deliveries)
                    SELECT id, kind, fromAgentId, fromAddress, toAgentId, toAddress, threadId, body,
                           CASE state WHEN 'delivered' THEN 'acknowledged' ELSE state END,
                           rejection, clientMessageId, sentAt, pushedAt, deliveredAt, leaseId, leaseSessionId, deliveries
                    FROM message
                    """
            )
            try db.drop(table: "message")
            try db.rename(table: "message_new", to: "message")
            try db.execute(
                sql: "CREATE UNIQUE INDEX message_clientId ON message(fromAddress, clientMessageId) WHERE clientMessageId IS NOT NULL"
            )
            try db.execute(sql: "CREATE INDEX message_inbox ON message(toAgentId, state, id)")
            try db.execute(sql: "CREATE INDEX message_lease ON message(leaseId) WHERE leaseId IS NOT NULL")
            try db.execute(sql: "CREATE INDEX message_pairWindow ON message(threadId, sentAt)")
            try db.execute(sql: "CREATE INDEX message_sent ON message(sentAt)")
            try db.execute(sql: "CREATE INDEX message_senderWindow ON message(fromAddress, sentAt)")
            try Self.createSearchTriggers(db, content: "message", fts: "message_fts")
            try db.execute(sql: "INSERT INTO message_fts(message_fts) VALUES('rebuild')")
        }
    }
}
