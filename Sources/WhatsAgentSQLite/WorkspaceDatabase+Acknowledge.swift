import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Marks the messages of a lease acknowledged (SPEC §7.2) and moves the channel read cursors leased with them. One transaction
    /// with cached statements: an acknowledgement follows every `check_messages` that returned something. A lease that
    /// is not the agent's own (another agent's, or made up) throws `not_found`; repeating an acknowledgement of its
    /// own is a no-op.
    func acknowledgeLease(_ leaseID: String, agent: AgentID, now: Date) async throws -> LeaseAcknowledgement {
        try await self.writer.write { db in
            let arguments: StatementArguments = [leaseID, agent.rawValue]
            let leased = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, kind FROM message WHERE leaseId = ? AND toAgentId = ? AND state IN \(Message.State.waitingSQL) ORDER BY id"
                ),
                arguments: arguments
            )
            var kinds: [String: Int] = [:]
            for row in leased { kinds[row[1] as String, default: 0] += 1 }
            let posts =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT COUNT(*) FROM channelMember AS member JOIN channelPost AS post ON post.channelId = member.channelId
                            WHERE member.pendingLeaseId = ? AND member.agentId = ? AND post.id > member.lastReadId
                              AND post.id <= member.pendingReadId AND IFNULL(post.fromAgentId, '') != ?
                            """
                    ),
                    arguments: [leaseID, agent.rawValue, agent.rawValue]
                ) ?? 0
            if posts > 0 { kinds["channel"] = posts }
            if !leased.isEmpty {
                try Self.countWaiting(
                    rows: "leaseId = ? AND toAgentId = ? AND state IN \(Message.State.waitingSQL)",
                    arguments: [leaseID, agent.rawValue],
                    sign: -1,
                    db
                )
                try db.cachedStatement(
                    sql: """
                        UPDATE message SET state = 'acknowledged', deliveredAt = ?
                        WHERE leaseId = ? AND toAgentId = ? AND state IN \(Message.State.waitingSQL)
                        """
                ).execute(arguments: [now, leaseID, agent.rawValue])
            }
            try db.cachedStatement(
                sql: """
                    UPDATE channelMember
                    SET lastReadId = MAX(lastReadId, pendingReadId), ackedLeaseId = pendingLeaseId, pendingLeaseId = NULL,
                        pendingReadId = NULL
                    WHERE pendingLeaseId = ? AND agentId = ?
                    """
            ).execute(arguments: arguments)
            let channels = db.changesCount
            if leased.isEmpty && channels == 0 {
                // Nothing to acknowledge: a repeat of this agent's own acknowledgement (`whatsagent mcp` retries after a
                // reconnect) is fine; another agent's lease, or one never issued, is not.
                let own = try Bool.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT EXISTS(SELECT 1 FROM message WHERE leaseId = ?1 AND toAgentId = ?2)
                                OR EXISTS(SELECT 1 FROM channelMember WHERE ackedLeaseId = ?1 AND agentId = ?2)
                            """
                    ),
                    arguments: arguments
                )
                guard own == true else { throw DomainError.leaseNotFound(leaseID) }
            }
            return LeaseAcknowledgement(messageIDs: leased.map { $0[0] }, kinds: kinds, channels: channels)
        }
    }
}
