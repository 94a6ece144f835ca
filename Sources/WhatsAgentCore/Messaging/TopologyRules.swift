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
    public static func refusal(topology: Topology, from: Party, to: Party, mainAddress: String?) -> String? {
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
            guard from.isMain else {
                return
                    "the workspace uses star topology: only the main agent (\(mainAddress ?? "none set")) writes to human-web; send your update to the main agent instead"
            }
            return nil
        case (.star, .agent, .agent):
            guard from.isMain || to.isMain else {
                return
                    "the workspace uses star topology: agents talk only through the main agent (\(mainAddress ?? "none set")); send to the main agent instead"
            }
            return nil
        case (.p2p, .agent, _):
            // Peer rules (deny-list / allow-list) arrive with the RBAC work; without rules every pair may talk.
            return nil
        }
    }
}
