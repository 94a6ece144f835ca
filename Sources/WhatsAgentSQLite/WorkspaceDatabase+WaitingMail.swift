import Foundation
import GRDB
import WhatsAgentCore

/// `waitingMail` (v17): how many messages wait for each agent, by kind — what a push counts, kept by the writes that
/// move a message into or out of the waiting states, in their own transaction.
extension WorkspaceDatabase {
    /// Moves the count of `agent`'s waiting mail of `kind` by `delta`, inside the caller's transaction.
    static func countWaiting(_ agent: String?, kind: String, by delta: Int, _ db: Database) throws {
        guard let agent, delta != 0 else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO waitingMail (toAgentId, kind, count) VALUES (?, ?, ?)
                ON CONFLICT (toAgentId, kind) DO UPDATE SET count = count + excluded.count
                """
        ).execute(arguments: [agent, kind, delta])
    }

    /// Counts the messages matching `condition` (a `WHERE` clause over `message`) as entering (`sign` 1) or leaving
    /// (`sign` -1) the waiting states; call it before the statement that moves them.
    static func countWaiting(rows condition: String, arguments: StatementArguments, sign: Int, _ db: Database) throws {
        let groups = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT toAgentId, kind, COUNT(*) FROM message WHERE toAgentId IS NOT NULL AND (\(condition)) GROUP BY 1, 2"
            ),
            arguments: arguments
        )
        for group in groups {
            try Self.countWaiting(group[0], kind: group[1], by: sign * (group[2] as Int), db)
        }
    }
}
