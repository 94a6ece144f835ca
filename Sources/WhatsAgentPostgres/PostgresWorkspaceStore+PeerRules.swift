import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// Peer rules (``PeerRuleStore``, SPEC §7.1): pairs stored normalised (lower agent id first, ``LoopGuard/Pair``); they
/// go with either agent. Each write is one transaction under the workspace's lock, as the sends that read them.
extension PostgresWorkspaceStore {
    package func setPeerRuleMode(_ mode: PeerRuleMode, now: Date) async throws {
        try await self.write { connection in
            _ = try await connection.query(
                """
                INSERT INTO messaging_setting (workspace_id, key, value, updated_at) VALUES (\(self.id), \(Self.peerRuleModeKey), \(mode.rawValue), \(now))
                ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
                logger: self.logger
            )
        }
    }

    package func peerRules() async throws -> PeerRuleSet {
        try await self.read { connection in
            let rules = try await self.rows(
                """
                SELECT peer_rule.created_at, low_repo.name || ':' || low.name AS low_address, high_repo.name || ':' || high.name AS high_address
                FROM peer_rule
                JOIN agent AS low ON low.workspace_id = peer_rule.workspace_id AND low.id = peer_rule.low_agent_id
                JOIN repo AS low_repo ON low_repo.workspace_id = low.workspace_id AND low_repo.id = low.repo_id
                JOIN agent AS high ON high.workspace_id = peer_rule.workspace_id AND high.id = peer_rule.high_agent_id
                JOIN repo AS high_repo ON high_repo.workspace_id = high.workspace_id AND high_repo.id = high.repo_id
                WHERE peer_rule.workspace_id = \(self.id)
                """,
                on: connection
            ) { row in
                PeerRule(
                    agents: [try row.value("low_address", as: String.self), try row.value("high_address", as: String.self)].sorted(),
                    createdAt: try row.value("created_at")
                )
            }
            let mode = try await self.values(
                String.self,
                "SELECT value FROM messaging_setting WHERE workspace_id = \(self.id) AND key = \(Self.peerRuleModeKey)",
                on: connection
            ).first.flatMap(PeerRuleMode.init(rawValue:))
            return PeerRuleSet(mode: mode ?? .denyList, unordered: rules)
        }
    }

    package func addPeerRule(_ first: Agent, _ second: Agent, now: Date) async throws -> PeerRule {
        try await self.write { connection in
            let pair = LoopGuard.Pair(first, second)
            let inserted = try await self.values(
                String.self,
                """
                INSERT INTO peer_rule (workspace_id, low_agent_id, high_agent_id, created_at)
                VALUES (\(self.id), \(pair.low.id.rawValue), \(pair.high.id.rawValue), \(now))
                ON CONFLICT DO NOTHING RETURNING low_agent_id
                """,
                on: connection
            )
            guard !inserted.isEmpty else { throw DomainError.peerRuleExists(first, second) }
            return PeerRule(agents: [first.address.description, second.address.description].sorted(), createdAt: now)
        }
    }

    package func removePeerRule(_ first: Agent, _ second: Agent) async throws -> PeerRule {
        try await self.write { connection in
            let pair = LoopGuard.Pair(first, second)
            guard
                let created = try await self.values(
                    Date.self,
                    """
                    DELETE FROM peer_rule
                    WHERE workspace_id = \(self.id) AND low_agent_id = \(pair.low.id.rawValue) AND high_agent_id = \(pair.high.id.rawValue)
                    RETURNING created_at
                    """,
                    on: connection
                ).first
            else { throw DomainError.peerRuleMissing(first, second) }
            return PeerRule(agents: [first.address.description, second.address.description].sorted(), createdAt: created)
        }
    }
}
