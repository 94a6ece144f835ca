import Foundation

/// How peer rules read in the p2p topology.
public enum PeerRuleModeValue: String, Codable, Sendable, CaseIterable {
    /// A rule forbids direct messages between its pair (the default).
    case denyList = "deny-list"
    /// Only pairs with a rule may exchange direct messages.
    case allowList = "allow-list"
}

/// A peer rule: one pair of agents.
public struct PeerRuleResponse: Codable, Sendable, Equatable {
    /// The two agents (`repo:agent`), sorted.
    public var agents: [String]
    public var createdAt: Date

    public init(agents: [String], createdAt: Date) {
        self.agents = agents
        self.createdAt = createdAt
    }
}

/// `GET /api/v1/workspaces/{workspace}/peer-rules`: the mode and every rule.
public struct PeerRuleList: Codable, Sendable, Equatable {
    public var mode: PeerRuleModeValue
    /// Whether the rules apply now: they do only in the p2p topology.
    public var active: Bool
    public var rules: [PeerRuleResponse]

    public init(mode: PeerRuleModeValue, active: Bool, rules: [PeerRuleResponse]) {
        self.mode = mode
        self.active = active
        self.rules = rules
    }
}

/// `PUT /api/v1/workspaces/{workspace}/peer-rules/mode`.
public struct PeerRuleModeRequest: Codable, Sendable, Equatable {
    public var mode: PeerRuleModeValue

    public init(mode: PeerRuleModeValue) {
        self.mode = mode
    }
}

/// Two agents: a peer rule to add, or a held pair to release.
public struct AgentPairRequest: Codable, Sendable, Equatable {
    /// Exactly two `repo:agent` addresses; their order does not matter.
    public var agents: [String]

    public init(agents: [String]) {
        self.agents = agents
    }
}

/// A pair of agents the loop guard holds: their further direct messages are stored but not delivered.
public struct MessageHoldResponse: Codable, Sendable, Equatable {
    public var id: String
    /// The two agents (`repo:agent`), sorted.
    public var agents: [String]
    public var heldAt: Date
    /// Set once the human released the pair.
    public var releasedAt: Date?
    /// The messages still held (state `held`), oldest first.
    public var messages: [MessageResponse]

    public init(id: String, agents: [String], heldAt: Date, releasedAt: Date?, messages: [MessageResponse]) {
        self.id = id
        self.agents = agents
        self.heldAt = heldAt
        self.releasedAt = releasedAt
        self.messages = messages
    }
}

/// `GET /api/v1/workspaces/{workspace}/message-holds`.
public struct MessageHoldList: Codable, Sendable, Equatable {
    public var holds: [MessageHoldResponse]

    public init(holds: [MessageHoldResponse]) {
        self.holds = holds
    }
}

/// `POST /api/v1/workspaces/{workspace}/message-holds/release`.
public struct ReleaseHoldResult: Codable, Sendable, Equatable {
    public var hold: MessageHoldResponse
    /// How many held messages became queued (and were pushed to connected recipients).
    public var released: Int

    public init(hold: MessageHoldResponse, released: Int) {
        self.hold = hold
        self.released = released
    }
}
