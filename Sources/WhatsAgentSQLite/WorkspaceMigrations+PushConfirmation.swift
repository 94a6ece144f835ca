import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v15-session-push` (SPEC §7.2, issue 16): per session, the last push and its path, since when pushes
    /// wait for a confirmation, the last confirmation, the `whatsagent://inbox` subscription, and a path chosen over the
    /// runtime's (``SessionPush``). A row exists once something was recorded; it goes with its session.
    static func registerPushConfirmation(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15-session-push") { db in
            try db.create(table: "sessionPush") { t in
                t.primaryKey("sessionId", .text).references("session", onDelete: .cascade)
                t.column("inboxSubscribed", .boolean).notNull().defaults(to: false)
                t.column("path", .text)
                t.column("pathReason", .text)
                t.column("lastPushAt", .datetime)
                t.column("lastPushPath", .text)
                t.column("unconfirmedSince", .datetime)
                t.column("lastConfirmedAt", .datetime)
                t.column("lastConfirmedPath", .text)
            }
        }
    }
}
