import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

/// Peer rules (SPEC §7.1): pairs stored normalised (lower agent id first); they go with either agent. Every method is
/// one transaction.
extension WorkspaceDatabase {
    static let peerRuleModeKey = "peerRules.mode"

    func peerRuleMode() async throws -> PeerRuleMode {
        try await self.writer.read { db in try Self.peerRuleMode(db) }
    }

    package func setPeerRuleMode(_ mode: PeerRuleMode, now: Date) async throws {
        try await self.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO messagingSetting (key, value, updatedAt) VALUES (?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt
                    """,
                arguments: [Self.peerRuleModeKey, mode.rawValue, now]
            )
        }
    }

    /// The mode and every rule, sorted by the agents' addresses.
    package func peerRules() async throws -> PeerRuleSet {
        try await self.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT peerRule.createdAt,
                           lowRepo.name || ':' || low.name AS lowAddress, highRepo.name || ':' || high.name AS highAddress
                    FROM peerRule
                    JOIN agent AS low ON low.id = peerRule.lowAgentId JOIN repo AS lowRepo ON lowRepo.id = low.repoId
                    JOIN agent AS high ON high.id = peerRule.highAgentId JOIN repo AS highRepo ON highRepo.id = high.repoId
                    """
            )
            let rules = rows.map { row in
                PeerRule(agents: [row["lowAddress"] as String, row["highAddress"] as String].sorted(), createdAt: row["createdAt"])
            }
            return PeerRuleSet(mode: try Self.peerRuleMode(db), unordered: rules)
        }
    }

    /// The facts a direct message between the two agents needs.
    func peerRuleCheck(_ first: AgentID, _ second: AgentID) async throws -> PeerRuleCheck {
        try await self.writer.read { db in try Self.peerRuleCheck(first, second, db) }
    }

    static func peerRuleCheck(_ first: AgentID, _ second: AgentID, _ db: Database) throws -> PeerRuleCheck {
        let (low, high) = first.rawValue < second.rawValue ? (first, second) : (second, first)
        let count = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM peerRule WHERE lowAgentId = ? AND highAgentId = ?"),
            arguments: [low.rawValue, high.rawValue]
        )
        return PeerRuleCheck(mode: try Self.peerRuleMode(db), pairHasRule: (count ?? 0) > 0)
    }

    /// Adds the rule for a pair. - Throws: `invalid_state` when it exists.
    package func addPeerRule(_ first: Agent, _ second: Agent, now: Date) async throws -> PeerRule {
        try await self.writer.write { db in
            let pair = LoopGuard.Pair(first, second)
            try db.execute(
                sql: "INSERT OR IGNORE INTO peerRule (lowAgentId, highAgentId, createdAt) VALUES (?, ?, ?)",
                arguments: [pair.low.id.rawValue, pair.high.id.rawValue, now]
            )
            guard db.changesCount == 1 else {
                throw DomainError.peerRuleExists(first, second)
            }
            return PeerRule(agents: [first.address.description, second.address.description].sorted(), createdAt: now)
        }
    }

    /// Removes the rule for a pair. - Throws: `not_found` when there is none.
    package func removePeerRule(_ first: Agent, _ second: Agent) async throws -> PeerRule {
        try await self.writer.write { db in
            let pair = LoopGuard.Pair(first, second)
            guard
                let created = try Date.fetchOne(
                    db,
                    sql: "SELECT createdAt FROM peerRule WHERE lowAgentId = ? AND highAgentId = ?",
                    arguments: [pair.low.id.rawValue, pair.high.id.rawValue]
                )
            else {
                throw DomainError.peerRuleMissing(first, second)
            }
            try db.execute(
                sql: "DELETE FROM peerRule WHERE lowAgentId = ? AND highAgentId = ?",
                arguments: [pair.low.id.rawValue, pair.high.id.rawValue]
            )
            return PeerRule(agents: [first.address.description, second.address.description].sorted(), createdAt: created)
        }
    }

    private static func peerRuleMode(_ db: Database) throws -> PeerRuleMode {
        let raw = try String.fetchOne(db, sql: "SELECT value FROM messagingSetting WHERE key = ?", arguments: [Self.peerRuleModeKey])
        return raw.flatMap(PeerRuleMode.init(rawValue:)) ?? .denyList
    }
}
