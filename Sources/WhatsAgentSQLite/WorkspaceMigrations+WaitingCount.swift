import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v17-waiting-mail-count` (issue 21): `waitingMail` keeps, per recipient and kind, how many messages wait
    /// (queued, pushed or surfaced), so a push reads its count in O(kinds) instead of counting the backlog — counting
    /// 10,000 index entries made each send and push to such an inbox 2.6 times dearer (`make bench`).
    ///
    /// The store's write paths keep it, in the transaction that moves a message into or out of the waiting states
    /// (``WorkspaceDatabase/countWaiting(_:kind:by:_:)``): an insert, a hold's release, an acknowledgement. Triggers on
    /// `message` kept it first, but cost 0.3 ms more daemon CPU per message in the throughput row (1.0 → 1.3 ms,
    /// alternating A/B runs; not profiled down to its cause). `WaitingMailCountTests` compares it with a count of the
    /// rows after each kind of change.
    ///
    /// `v18-drop-message-waiting-kinds` drops v16's index, which only that count read: every insert and change of
    /// state kept it up to date for nothing.
    static func registerWaitingMailCount(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17-waiting-mail-count") { db in
            try db.execute(
                sql: """
                    CREATE TABLE waitingMail (
                        toAgentId TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        PRIMARY KEY (toAgentId, kind)
                    ) WITHOUT ROWID
                    """
            )
            try db.execute(
                sql: """
                    INSERT INTO waitingMail (toAgentId, kind, count)
                    SELECT toAgentId, kind, COUNT(*) FROM message
                    WHERE toAgentId IS NOT NULL AND state IN \(Message.State.waitingSQL)
                    GROUP BY toAgentId, kind
                    """
            )
        }
        migrator.registerMigration("v18-drop-message-waiting-kinds") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS message_waitingKinds")
        }
    }
}
