import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Peer rules of the p2p topology (SPEC §7.1): the pure rule and the stored rules end to end.
@Suite struct PeerRuleTests {
    let a = TopologyRules.Party.agent(address: "api:a", isMain: false)
    let b = TopologyRules.Party.agent(address: "api:b", isMain: false)
    let main = TopologyRules.Party.agent(address: "api:main", isMain: true)

    func refusal(_ from: TopologyRules.Party, _ to: TopologyRules.Party, _ mode: PeerRuleMode, rule: Bool) -> String? {
        TopologyRules.refusal(
            topology: .p2p,
            from: from,
            to: to,
            mainAddress: "api:main",
            peerRules: PeerRuleCheck(mode: mode, pairHasRule: rule)
        )
    }

    @Test func denyListRefusesOnlyPairsWithARule() {
        let refused = self.refusal(self.a, self.b, .denyList, rule: true)

        #expect(self.refusal(self.a, self.b, .denyList, rule: false) == nil)
        #expect(refused?.contains("a peer rule forbids direct messages between api:a and api:b") == true)
        #expect(refused?.contains("ask the main agent (api:main) or the human to relay") == true)
        #expect(refused?.contains("whatsagent peer-rule remove api:a api:b") == true)
    }

    @Test func allowListAllowsOnlyPairsWithARule() {
        let refused = self.refusal(self.a, self.b, .allowList, rule: false)

        #expect(self.refusal(self.a, self.b, .allowList, rule: true) == nil)
        #expect(refused?.contains("no peer rule allows") == true)
        #expect(refused?.contains("ask the human to add a peer rule (`whatsagent peer-rule add api:a api:b`)") == true)
    }

    @Test func theMainAgentAndTheHumanBypassPeerRules() {
        for mode in PeerRuleMode.allCases {
            let rule = mode == .denyList
            #expect(self.refusal(self.main, self.a, mode, rule: rule) == nil)
            #expect(self.refusal(self.a, self.main, mode, rule: rule) == nil)
            #expect(self.refusal(self.a, .human, mode, rule: rule) == nil)
            #expect(self.refusal(.human, self.a, mode, rule: rule) == nil)
        }
    }

    @Test func peerRulesDoNotApplyOutsideP2P() {
        let check = PeerRuleCheck(mode: .allowList, pairHasRule: false)
        let star = TopologyRules.refusal(topology: .star, from: self.main, to: self.a, mainAddress: "api:main", peerRules: check)

        #expect(star == nil)
    }

    // MARK: - Stored rules

    @Test func rulesAreStoredPerPairWhateverTheOrder() async throws {
        let world = try await ControlsWorld()
        let rules = PeerRuleService(workspaces: world.workspaces, now: { world.clock.now })

        let added = try await rules.add(workspace: nil, "api:b", "api:a")
        let again = await #expect(throws: DomainError.self) { try await rules.add(workspace: nil, "api:a", "api:b") }
        let listed = try await rules.list(workspace: nil)

        #expect(added.agents == ["api:a", "api:b"])
        #expect(again?.code == .invalidState)
        #expect(listed.mode == .denyList)
        #expect(listed.rules.map(\.agents) == [["api:a", "api:b"]])
        #expect(try await rules.remove(workspace: nil, "api:a", "api:b").agents == ["api:a", "api:b"])
        let missing = await #expect(throws: DomainError.self) { try await rules.remove(workspace: nil, "api:b", "api:a") }
        #expect(missing?.code == .notFound)
    }

    @Test func rulesNameTwoDifferentAgents() async throws {
        let world = try await ControlsWorld()
        let rules = PeerRuleService(workspaces: world.workspaces)

        let same = await #expect(throws: DomainError.self) { try await rules.add(workspace: nil, "api:a", "API:A") }
        let human = await #expect(throws: DomainError.self) { try await rules.add(workspace: nil, "human-web", "api:a") }
        let unknown = await #expect(throws: DomainError.self) { try await rules.add(workspace: nil, "api:a", "api:nobody") }

        #expect(same?.code == .invalidArgument)
        #expect(human?.code == .invalidArgument)
        #expect(human?.message.contains("not subject to peer rules") == true)
        #expect(unknown?.code == .agentNotFound)
    }

    @Test func aDenyRuleRefusesTheDirectMessageAndRecordsIt() async throws {
        let world = try await ControlsWorld()
        let rules = PeerRuleService(workspaces: world.workspaces)
        let (a, main) = (try await world.connect("api:a"), try await world.connect("api:main"))
        _ = try await rules.add(workspace: nil, "api:a", "api:b")

        let error = await #expect(throws: DomainError.self) { try await world.send(a, "api:b", "psst") }
        let toC = try await world.send(a, "api:c", "hello")
        let fromMain = try await world.send(main, "api:b", "main bypasses")

        #expect(error?.code == .topologyRefused)
        #expect(error?.message.contains("peer rule") == true)
        #expect(try await world.database().message(id: 1)?.state == .rejected)
        #expect(toC.message.state == .queued)
        #expect(fromMain.message.state == .queued)
    }

    @Test func allowListModeLetsOnlyListedPairsTalk() async throws {
        let world = try await ControlsWorld()
        let rules = PeerRuleService(workspaces: world.workspaces)
        let a = try await world.connect("api:a")
        _ = try await rules.setMode(workspace: nil, .allowList)
        _ = try await rules.add(workspace: nil, "api:a", "api:b")

        let allowed = try await world.send(a, "api:b", "we may talk")
        let error = await #expect(throws: DomainError.self) { try await world.send(a, "api:c", "may we?") }
        let toHuman = try await world.send(a, "human-web", "the human is never subject to rules")

        #expect(try await rules.list(workspace: nil).mode == .allowList)
        #expect(allowed.message.state == .queued)
        #expect(error?.code == .topologyRefused)
        #expect(error?.message.contains("allow-list") == true)
        #expect(toHuman.message.state == .queued)
    }

    @Test func removingAnAgentRemovesItsRules() async throws {
        let world = try await ControlsWorld()
        let rules = PeerRuleService(workspaces: world.workspaces)
        _ = try await rules.add(workspace: nil, "api:a", "api:b")
        _ = try await rules.add(workspace: nil, "api:a", "api:c")
        _ = try await rules.add(workspace: nil, "api:b", "api:c")

        try await world.agents.remove(workspace: nil, try AgentAddress(parsing: "api:a"), force: true)

        #expect(try await rules.list(workspace: nil).rules.map(\.agents) == [["api:b", "api:c"]])
    }
}
