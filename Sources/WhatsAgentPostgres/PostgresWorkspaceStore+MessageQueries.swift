import Foundation
import PostgresNIO
import WhatsAgentCore

/// Reading messages (``MessageQueryStore``, search aside: `+Search`): the mute, waiting mail, the mail summary, and
/// the human's release of a hold.
extension PostgresWorkspaceStore {
    package func isMuted(_ agent: AgentID) async throws -> Bool {
        try await self.read { connection in try await self.isMuted(agent, on: connection) }
    }

    package func waitingMessages(for agent: AgentID) async throws -> [Message] {
        try await self.read { connection in
            try await self.messages(
                """
                SELECT \(unescaped: Self.messageColumns) FROM message
                WHERE workspace_id = \(self.id) AND to_agent_id = \(agent.rawValue) AND state IN \(unescaped: Message.State.waitingSQL)
                ORDER BY id
                """,
                on: connection
            )
        }
    }

    package func mailSummary(for agent: AgentID) async throws -> MailSummary {
        try await self.read { connection in try await self.mailSummary(for: agent, on: connection) }
    }

    package func releaseHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int) {
        try await self.releaseLoopHold(first, second, now: now)
    }
}
