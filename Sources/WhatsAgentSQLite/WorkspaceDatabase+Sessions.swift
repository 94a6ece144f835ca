import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Opens a session for `agent`. At most one live session per agent: a live one is refused unless `replace`,
    /// which ends it first (same transaction). Returns the new session and the one replaced, if any.
    package func openSession(
        _ session: LiveSession,
        tokenHash: String,
        replace: Bool,
        now: Date
    ) async throws -> (opened: LiveSession, replaced: LiveSession?) {
        try await self.writer.write { db in
            guard let agentID = session.agentID else { throw DomainError.invalidArgument("a session needs an agent") }
            let live = try Self.liveSessions(db, sql: "agentId = ?", arguments: [agentID.rawValue]).first
            if let live {
                guard replace else { throw DomainError.sessionExists(session, live: live) }
                try Self.end([live], reason: LiveSession.replacedReason, now: now, db)
            }
            try SessionRecord(
                id: session.id.rawValue,
                agentId: agentID.rawValue,
                agentAddress: session.agentAddress,
                kind: session.kind.rawValue,
                startedAt: session.startedAt,
                tokenHash: tokenHash,
                runtime: session.runtime,
                mcpConfigPath: session.mcpConfigPath
            ).insert(db)
            return (session, live)
        }
    }

    /// The live session a token hash belongs to, with its agent; nil for an unknown or ended session.
    package func liveSession(tokenHash: String) async throws -> (LiveSession, Agent)? {
        try await self.writer.read { db in
            guard
                let record = try SessionRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM session WHERE tokenHash = ? AND endedAt IS NULL"),
                    arguments: [tokenHash]
                ),
                let agentID = record.agentId,
                let agent = try Self.fetchAgents(db, where: "agent.id = ?", arguments: [agentID]).first
            else { return nil }
            return (record.liveSession, agent)
        }
    }

    /// Ends the live session of `address`. Returns it, or nil when there was none.
    package func endSession(of address: AgentAddress, reason: String, now: Date) async throws -> LiveSession? {
        try await self.writer.write { db in
            let agent = try Self.fetchAgent(address, db)
            guard let live = try Self.liveSessions(db, sql: "agentId = ?", arguments: [agent.id.rawValue]).first else {
                return nil
            }
            try Self.end([live], reason: reason, now: now, db)
            return live
        }
    }

    /// Every live session, keyed by agent.
    package func liveSessionsByAgent() async throws -> [AgentID: LiveSession] {
        try await self.writer.read { db in
            var result: [AgentID: LiveSession] = [:]
            for session in try Self.liveSessions(db, sql: "1", arguments: []) {
                if let agentID = session.agentID { result[agentID] = session }
            }
            return result
        }
    }

    /// The live session of one agent, if any.
    package func liveSession(of agent: AgentID) async throws -> LiveSession? {
        try await self.writer.read { db in try Self.liveSessions(db, sql: "agentId = ?", arguments: [agent.rawValue]).first }
    }

    /// `repo:agent` of the workspace's main agent, if one is set (one indexed row, not the whole agent list).
    func mainAgentAddress() async throws -> String? {
        try await self.writer.read { db in try Self.mainAgentAddress(db) }
    }

    static func mainAgentAddress(_ db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(
                sql: "SELECT repo.name || ':' || agent.name FROM agent JOIN repo ON repo.id = agent.repoId WHERE agent.isMain = 1"
            )
        )
    }

    package func setSummary(
        _ summary: String,
        session: SessionID,
        agent: AgentID,
        check: ToolCheck?,
        refuseMuted: @escaping @Sendable () -> DomainError
    ) async throws {
        try await self.checkedWrite(check) { db in
            if try Self.isMuted(agent, db) { throw refuseMuted() }
            try db.execute(sql: "UPDATE session SET summary = ? WHERE id = ?", arguments: [summary, session.rawValue])
        }
    }
}
