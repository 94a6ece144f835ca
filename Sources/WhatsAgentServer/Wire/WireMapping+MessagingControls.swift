import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

// Domain → wire for peer rules and loop-guard holds.

extension PeerRuleResponse: ResponseEncodable {
    init(_ rule: PeerRule) {
        self.init(agents: rule.agents, createdAt: rule.createdAt)
    }
}

extension PeerRuleList: ResponseEncodable {
    init(_ set: PeerRuleSet, topology: Topology) {
        self.init(
            mode: set.mode,
            active: topology == .p2p,
            rules: set.rules.map(PeerRuleResponse.init)
        )
    }
}

extension MessageHoldResponse: ResponseEncodable {
    init(_ hold: LoopHold) {
        self.init(
            id: String(hold.id),
            agents: hold.agents,
            heldAt: hold.heldAt,
            releasedAt: hold.releasedAt,
            messages: hold.messages.map(MessageResponse.init)
        )
    }
}

extension MessageHoldList: ResponseEncodable {}
extension ReleaseHoldResult: ResponseEncodable {}

extension AgentPairRequest {
    /// The two agents. - Throws: `invalid_argument` unless there are exactly two.
    func pair() throws -> (String, String) {
        guard self.agents.count == 2 else {
            throw DomainError.invalidArgument("agents must name exactly two agents, such as [\"api:dev\", \"api:qa\"] (got \(self.agents.count))")
        }
        return (self.agents[0], self.agents[1])
    }
}
