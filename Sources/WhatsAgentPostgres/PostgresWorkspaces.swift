import Foundation
import Logging
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The registry's workspace rows on PostgreSQL: one row per workspace, shared by every daemon.
enum PostgresWorkspaces {
    /// Inserts `workspace` and seeds its built-in roles, in the caller's transaction.
    /// - Throws: `name_taken` when another live workspace has its name.
    static func insert(_ workspace: Workspace, on connection: PostgresConnection, logger: Logger) async throws {
        do {
            try await connection.query(
                """
                INSERT INTO workspace (id, name, status, topology, rbac_mode, kanban_prefix, epic_prefix, max_body_chars,
                    chat_retention_days, rate_limit_per_minute, loop_guard, colleague_protocol, created_at, updated_at, trashed_at)
                VALUES (\(workspace.id.rawValue), \(workspace.name), \(workspace.status.rawValue), \(workspace.topology.rawValue),
                    \(workspace.rbacMode.rawValue), \(workspace.kanbanPrefix), \(workspace.epicPrefix), \(workspace.maxBodyChars),
                    \(workspace.chatRetention.days), \(workspace.rateLimit.number), \(workspace.loopGuard.number),
                    \(workspace.colleagueProtocol), \(workspace.createdAt), \(workspace.updatedAt), \(workspace.trashedAt))
                """,
                logger: logger
            )
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw DomainError(.nameTaken, "a workspace named \(workspace.name) exists; choose another name")
        }
        try await PostgresRoles.seedBuiltins(workspace: workspace.id.rawValue, now: workspace.createdAt, on: connection, logger: logger)
    }
}
