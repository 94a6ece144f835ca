import Foundation
import WhatsAgentAPI

/// How peer rules read in the p2p topology (SPEC §7.1); declared once, in WhatsAgentAPI.
public typealias PeerRuleMode = PeerRuleModeValue

/// A rule about one pair of agents. What it means depends on the workspace's ``PeerRuleMode``.
public struct PeerRule: Sendable, Equatable {
    /// The two agents (`repo:agent`), sorted.
    public var agents: [String]
    public var createdAt: Date

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        agents: [String],
        createdAt: Date
    ) {
        self.agents = agents
        self.createdAt = createdAt
    }
}

/// The peer-rule facts one direct message needs: the mode and whether a rule names its pair.
public struct PeerRuleCheck: Sendable, Equatable {
    public var mode: PeerRuleMode
    public var pairHasRule: Bool

    public init(mode: PeerRuleMode, pairHasRule: Bool) {
        self.mode = mode
        self.pairHasRule = pairHasRule
    }

    /// No rule in the default mode: every pair may talk.
    public static let unrestricted = PeerRuleCheck(mode: .denyList, pairHasRule: false)
}

/// A workspace's peer rules and their mode.
public struct PeerRuleSet: Sendable, Equatable {
    public var mode: PeerRuleMode
    public var rules: [PeerRule]

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        mode: PeerRuleMode,
        rules: [PeerRule]
    ) {
        self.mode = mode
        self.rules = rules
    }

    /// The mode and `rules` as a store read them, in their listed order: by the agents' addresses.
    package init(mode: PeerRuleMode, unordered rules: [PeerRule]) {
        self.init(mode: mode, rules: rules.sorted { $0.agents.lexicographicallyPrecedes($1.agents) })
    }
}
