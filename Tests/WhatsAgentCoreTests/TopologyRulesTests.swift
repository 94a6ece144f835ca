import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Every direct-message cell of SPEC §7.1 × each topology.
@Suite struct TopologyRulesTests {
    static let main = TopologyRules.Party.agent(address: "api:main", isMain: true)
    static let dev = TopologyRules.Party.agent(address: "api:dev", isMain: false)
    static let web = TopologyRules.Party.agent(address: "web:dev", isMain: false)
    static let human = TopologyRules.Party.human

    func allowed(_ topology: Topology, _ from: TopologyRules.Party, _ to: TopologyRules.Party) -> Bool {
        TopologyRules.refusal(topology: topology, from: from, to: to, mainAddress: "api:main") == nil
    }

    @Test func star() {
        #expect(!self.allowed(.star, Self.dev, Self.web), "agent → agent without the main agent")
        #expect(self.allowed(.star, Self.dev, Self.main), "agent → main")
        #expect(self.allowed(.star, Self.main, Self.dev), "main → agent")
        #expect(self.allowed(.star, Self.main, Self.human), "main → human")
        #expect(self.allowed(.star, Self.dev, Self.human), "any agent → human (SPEC §7.1): it answers the human who wrote to it")
        #expect(self.allowed(.star, Self.human, Self.dev), "human → agent")
        #expect(!self.allowed(.star, Self.dev, Self.dev), "to self")
    }

    @Test func peerToPeer() {
        #expect(self.allowed(.p2p, Self.dev, Self.web))
        #expect(self.allowed(.p2p, Self.dev, Self.human))
        #expect(self.allowed(.p2p, Self.human, Self.web))
        #expect(!self.allowed(.p2p, Self.web, Self.web))
    }

    @Test func channel() {
        #expect(!self.allowed(.channel, Self.dev, Self.web))
        #expect(!self.allowed(.channel, Self.main, Self.dev))
        #expect(!self.allowed(.channel, Self.dev, Self.human))
        #expect(!self.allowed(.channel, Self.human, Self.dev))
    }

    @Test func refusalsNameTheRuleAndTheAlternative() throws {
        let star = try #require(TopologyRules.refusal(topology: .star, from: Self.dev, to: Self.web, mainAddress: "api:main"))
        let channel = try #require(TopologyRules.refusal(topology: .channel, from: Self.dev, to: Self.web, mainAddress: nil))

        #expect(star.contains("star topology") && star.contains("api:main"))
        #expect(channel.contains("channel topology") && channel.contains("post_channel_message"))
    }
}
