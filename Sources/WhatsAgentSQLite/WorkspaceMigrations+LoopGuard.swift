import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v9-message-sender-window`: an index on `(fromAddress, sentAt)`.
    ///
    /// The loop guard looks for the human's latest broadcast to either agent of a pair on every send between agents.
    /// Without this index that lookup walked every message of the guard's window (`message_sent`), which made the
    /// guard most of the daemon's CPU per message under load; with it, it reads only the human's own recent messages.
    static func registerLoopGuardIndex(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-message-sender-window") { db in
            try db.execute(sql: "CREATE INDEX message_senderWindow ON message(fromAddress, sentAt)")
        }
    }

    /// Registers `v10-channel-member-acked-lease`: the lease that last moved a member's read cursor, so a repeated
    /// acknowledgement of it is recognised as the agent's own (a made-up or another agent's lease answers 404).
    static func registerAckedLease(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-channel-member-acked-lease") { db in
            try db.execute(sql: "ALTER TABLE channelMember ADD COLUMN ackedLeaseId TEXT")
        }
    }
}
