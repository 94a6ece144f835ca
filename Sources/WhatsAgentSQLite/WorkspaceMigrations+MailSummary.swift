import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v16-message-waiting-kinds` (issue 21): an index on `message(toAgentId, state, kind)` that covered the
    /// count and kinds of an agent's waiting mail, so a push read no message row for them (``MailSummary``). v17 keeps
    /// the counts in `waitingMail` instead and v18 drops the index.
    static func registerMailSummary(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16-message-waiting-kinds") { db in
            try db.execute(sql: "CREATE INDEX message_waitingKinds ON message(toAgentId, state, kind)")
        }
    }
}
