import WhatsAgentAPI

/// The direct-message rules of SPEC §7.1, as one pure function.
public enum TopologyRules {
    /// One end of a direct message.
    public enum Party: Equatable, Sendable {
        case human
        case agent(address: String, isMain: Bool)

        var address: String {
            switch self {
            case .human: MessageSender.humanAddress
            case .agent(let address, _): address
            }
        }

        var isMain: Bool {
            if case .agent(_, let isMain) = self { return isMain }
            return false
        }
    }

    /// nil when `from` may send a direct message to `to`; otherwise the refusal, naming the rule and the alternative.
    /// `peerRules` matters only between two agents in the p2p topology; the main agent bypasses it and human-web is
    /// never subject to it.
    public static func refusal(
        topology: Topology,
        from: Party,
        to: Party,
        mainAddress: String?,
        peerRules: PeerRuleCheck = .unrestricted
    ) -> String? {
        if from.address == to.address {
            return "you cannot send a message to yourself"
        }
        switch (topology, from, to) {
        case (_, .human, .human):
            return "human-web cannot message itself"
        case (.channel, _, _):
            return from == .human || to == .human
                ? "the workspace uses channel topology: the human reads and posts in channels; use post_channel_message"
                : "the workspace uses channel topology: direct messages are off; post in a channel with post_channel_message"
        case (.star, .human, .agent), (.p2p, .human, .agent):
            return nil
        case (.star, .agent, .human):
            // Any agent answers the human (SPEC §7.1): the human writes to any agent, and check_messages tells it to
            // reply with send_message(to: "human-web"). Star restricts agent ↔ agent messages only.
            return nil
        case (.star, .agent, .agent):
            guard from.isMain || to.isMain else {
                return
                    "the workspace uses star topology: agents talk only through the main agent (\(mainAddress ?? "none set")); send to the main agent instead"
            }
            return nil
        case (.p2p, .agent, .human):
            return nil
        case (.p2p, .agent, .agent):
            if from.isMain || to.isMain { return nil }
            return self.peerRuleRefusal(from: from.address, to: to.address, mainAddress: mainAddress, peerRules)
        }
    }

    private static func peerRuleRefusal(from: String, to: String, mainAddress: String?, _ check: PeerRuleCheck) -> String? {
        let relay = mainAddress.map { "ask the main agent (\($0)) or the human to relay" } ?? "ask the human to relay"
        switch (check.mode, check.pairHasRule) {
        case (.denyList, true):
            return
                "a peer rule forbids direct messages between \(from) and \(to) (the workspace's peer rules are a deny-list); \(relay), or ask the human to remove the rule (`whatsagent peer-rule remove \(from) \(to)`)"
        case (.allowList, false):
            return
                "no peer rule allows direct messages between \(from) and \(to) (the workspace's peer rules are an allow-list); \(relay), or ask the human to add a peer rule (`whatsagent peer-rule add \(from) \(to)`)"
        case (.denyList, false), (.allowList, true):
            return nil
        }
    }
}
