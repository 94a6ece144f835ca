import Foundation

/// The human manages a workspace's peer rules (SPEC §7.1, `whatsagent peer-rule …`). Rules are stored in any topology
/// but apply only in p2p, between two agents neither of which is the main agent.
public struct PeerRuleService: Sendable {
    let workspaces: WorkspaceService
    let now: @Sendable () -> Date

    public init(workspaces: WorkspaceService, now: @escaping @Sendable () -> Date = WallClock.now) {
        self.workspaces = workspaces
        self.now = now
    }

    /// The mode and the rules.
    public func list(workspace reference: String?) async throws -> PeerRuleSet {
        try await self.workspaces.database(for: reference).1.peerRules()
    }

    /// Switches between deny-list (a rule forbids its pair) and allow-list (only pairs with a rule may talk).
    public func setMode(workspace reference: String?, _ mode: PeerRuleMode) async throws -> PeerRuleSet {
        let database = try await self.workspaces.database(for: reference).1
        try await database.setPeerRuleMode(mode, now: self.now())
        return try await database.peerRules()
    }

    /// Adds the rule for a pair of agents (order does not matter).
    /// - Throws: `invalid_argument` for the same agent twice, `agent_not_found`, `invalid_state` when it exists.
    public func add(workspace reference: String?, _ first: String, _ second: String) async throws -> PeerRule {
        let (database, one, other) = try await self.pair(reference, first, second)
        return try await database.addPeerRule(one, other, now: self.now())
    }

    /// Removes the rule for a pair. - Throws: `not_found` when there is none.
    public func remove(workspace reference: String?, _ first: String, _ second: String) async throws -> PeerRule {
        let (database, one, other) = try await self.pair(reference, first, second)
        return try await database.removePeerRule(one, other)
    }

    private func pair(_ reference: String?, _ first: String, _ second: String) async throws -> (any WorkspaceStore, Agent, Agent) {
        if let human = [first, second].first(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == MessageSender.humanAddress }) {
            throw DomainError.invalidArgument("\(human) is not subject to peer rules; a rule names two agents (repo:name)")
        }
        let database = try await self.workspaces.database(for: reference).1
        let one = try await database.agent(try AgentAddress(parsing: first))
        let other = try await database.agent(try AgentAddress(parsing: second))
        guard one.id != other.id else {
            throw DomainError.invalidArgument("a peer rule names two different agents (got \(one.address) twice)")
        }
        return (database, one, other)
    }
}
