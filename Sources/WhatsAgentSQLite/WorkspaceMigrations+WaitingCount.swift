import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v17-waiting-mail-count` (issue 21): `waitingMail` keeps, per recipient and kind, how many messages wait
    /// (queued, pushed or surfaced), so a push reads its count in O(kinds) instead of counting the backlog — counting
    /// 10,000 index entries made each send and push to such an inbox 2.6 times dearer (`make bench`).
    ///
    /// Triggers on `message` keep it: every insert, delete and change of state, recipient or kind goes through them,
    /// whichever code path makes it (a send, a lease, an acknowledgement, a hold and its release, retention, a deleted
    /// agent's `SET NULL`), so no path can forget it. A migration that rebuilds `message` must create them again
    /// (``waitingMailTriggers``). `WaitingMailCountTests` compares it with a count of the rows after each kind of change.
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
            for statement in Self.waitingMailTriggers { try db.execute(sql: statement) }
        }
    }

    /// The triggers that keep `waitingMail` equal to the waiting rows of `message`.
    static let waitingMailTriggers: [String] = {
        let waiting = Message.State.waitingSQL
        let add = """
            INSERT INTO waitingMail (toAgentId, kind, count) SELECT NEW.toAgentId, NEW.kind, 1
            WHERE NEW.toAgentId IS NOT NULL AND NEW.state IN \(waiting)
            ON CONFLICT (toAgentId, kind) DO UPDATE SET count = count + 1;
            """
        let remove = """
            UPDATE waitingMail SET count = count - 1
            WHERE toAgentId = OLD.toAgentId AND kind = OLD.kind AND OLD.state IN \(waiting);
            """
        return [
            "CREATE TRIGGER message_waiting_insert AFTER INSERT ON message BEGIN \(add) END",
            "CREATE TRIGGER message_waiting_delete AFTER DELETE ON message BEGIN \(remove) END",
            // Only a change into or out of the waiting states, or of the recipient or kind, moves a count: a push
            // (queued → pushed) or a lease (pushed → surfaced) does not touch the table.
            """
            CREATE TRIGGER message_waiting_update AFTER UPDATE OF state, toAgentId, kind ON message
            WHEN (OLD.state IN \(waiting)) != (NEW.state IN \(waiting))
                OR OLD.toAgentId IS NOT NEW.toAgentId OR OLD.kind IS NOT NEW.kind
            BEGIN \(remove) \(add) END
            """,
        ]
    }()
}
