import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The board (``BoardStore``) on PostgreSQL: a change is one transaction under the workspace's lock, as every other
/// use case. The board's rules are synchronous (``BoardTransaction``, written once in the core), so they run on a
/// thread of their own that waits on each query (``PostgresBlockingQueries``); the notifications they queued are then
/// stored in the same transaction as `kanban` messages, and the rate limit's admission runs last.
extension PostgresWorkspaceStore: BoardStore {
    package func boardWrite<T: Sendable>(
        now: Date,
        actor: BoardActor,
        prefixes: (task: String, epic: String),
        admitNotifications: @escaping @Sendable ([BoardNotification]) throws -> Void,
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> (T, [BoardNotification]) {
        let (task, epic) = prefixes
        return try await self.write { connection in
            let (result, queued) = try await PostgresBlockingQueries.run {
                let rows = PostgresBoardRows(self, PostgresBlockingQueries(connection: connection, logger: self.logger))
                let transaction = BoardTransaction(rows, now: now, actor: actor, taskPrefix: task, epicPrefix: epic)
                return (try body(transaction), transaction.notifications)
            }
            let stored = try await self.storeBoardNotifications(queued, sentAt: now, on: connection)
            try admitNotifications(stored)
            return (result, stored)
        }
    }

    package func boardRead<T: Sendable>(
        prefixes: (task: String, epic: String),
        _ body: @escaping @Sendable (BoardTransaction) throws -> T
    ) async throws -> T {
        let (task, epic) = prefixes
        return try await self.read { connection in
            try await PostgresBlockingQueries.run {
                let rows = PostgresBoardRows(self, PostgresBlockingQueries(connection: connection, logger: self.logger))
                return try body(BoardTransaction(rows, now: Date(), actor: .human, taskPrefix: task, epicPrefix: epic))
            }
        }
    }

    /// Stores `notifications` as queued `kanban` messages from `whatsagent` in the caller's transaction (SPEC §9), each
    /// counted in its recipient's waiting mail; returns them with their message ids.
    func storeBoardNotifications(
        _ notifications: [BoardNotification],
        sentAt: Date,
        on connection: PostgresConnection
    ) async throws
        -> [BoardNotification]
    {
        var stored: [BoardNotification] = []
        for var notification in notifications {
            let body = notification.storedBody
            let ids = try await self.values(
                Int64.self,
                """
                INSERT INTO message (workspace_id, kind, from_agent_id, from_address, to_agent_id, to_address, thread_id, body, search_text,
                    state, sent_at, deliveries)
                VALUES (\(self.id), 'kanban', NULL, \(BoardNotification.senderAddress), \(notification.toAgentID.rawValue),
                    \(notification.toAddress), \(notification.threadID), \(body), \(PostgresSearchText.searchText(body)), 'queued', \(sentAt), 0)
                RETURNING id
                """,
                on: connection
            )
            guard let id = ids.first else { throw DomainError(.storage, "the board notification was not stored") }
            notification.messageID = id
            try await self.countWaiting(notification.toAgentID, kind: "kanban", by: 1, on: connection)
            stored.append(notification)
        }
        return stored
    }

    /// Clears the ids of agents about to be deleted from the board's rows, in the caller's transaction (SQLite's
    /// foreign keys `SET NULL` them): tasks, epics, comments and activity keep the addresses they show.
    func detachFromBoard(_ agents: [String], on connection: PostgresConnection) async throws {
        for statement: PostgresQuery in [
            "UPDATE board_task SET assignee_agent_id = NULL WHERE workspace_id = \(self.id) AND assignee_agent_id = ANY(\(agents))",
            "UPDATE board_task SET creator_agent_id = NULL WHERE workspace_id = \(self.id) AND creator_agent_id = ANY(\(agents))",
            "UPDATE board_epic SET assignee_agent_id = NULL WHERE workspace_id = \(self.id) AND assignee_agent_id = ANY(\(agents))",
            "UPDATE board_epic SET creator_agent_id = NULL WHERE workspace_id = \(self.id) AND creator_agent_id = ANY(\(agents))",
            """
            UPDATE board_epic SET close_requested_by_agent_id = NULL
            WHERE workspace_id = \(self.id) AND close_requested_by_agent_id = ANY(\(agents))
            """,
            "UPDATE board_comment SET author_agent_id = NULL WHERE workspace_id = \(self.id) AND author_agent_id = ANY(\(agents))",
            "UPDATE board_activity SET actor_agent_id = NULL WHERE workspace_id = \(self.id) AND actor_agent_id = ANY(\(agents))",
        ] {
            try await connection.query(statement, logger: self.logger)
        }
    }
}
