import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``PeerRuleStore`` and ``WorktreeStore``, against every implementation.
@Suite struct PeerRuleAndWorktreeContractTests {
    @Test(arguments: StoreConcernsUnderTest.all)
    func peerRulesNameAPairOnceAndTheModeIsKept(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa, ops) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"), try await seed.addAgent("api:ops"))
        #expect(try await store.peerRules() == PeerRuleSet(mode: .denyList, rules: []), "deny-list is the default")

        let rule = try await store.addPeerRule(qa, dev, now: Contract.now)
        #expect(rule.agents == ["api:dev", "api:qa"], "a pair is stored sorted")
        let again = await #expect(throws: DomainError.self) { try await store.addPeerRule(dev, qa, now: Contract.now) }
        #expect(again?.code == .invalidState, "the same pair either way round")
        _ = try await store.addPeerRule(ops, dev, now: Contract.now)
        try await store.setPeerRuleMode(.allowList, now: Contract.now)

        let rules = try await store.peerRules()
        #expect(rules.mode == .allowList)
        #expect(rules.rules.map(\.agents) == [["api:dev", "api:ops"], ["api:dev", "api:qa"]])
        #expect(try await store.removePeerRule(qa, dev).agents == ["api:dev", "api:qa"])
        let missing = await #expect(throws: DomainError.self) { try await store.removePeerRule(dev, qa) }
        #expect(missing?.code == .notFound)
        #expect(try await store.peerRules().rules.count == 1)
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func worktreeSettingsAreKeptPerAgent(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        #expect(try await store.worktreeSetting(dev.id) == nil)

        try await store.saveWorktreeSetting(WorktreeSetting(enabled: true, branch: "wa/dev"), agent: dev.id)
        try await store.saveWorktreeSetting(WorktreeSetting(enabled: false, branch: "wa/qa"), agent: qa.id)
        try await store.saveWorktreeSetting(WorktreeSetting(enabled: true, branch: "wa/dev-2"), agent: dev.id)

        #expect(try await store.worktreeSetting(dev.id) == WorktreeSetting(enabled: true, branch: "wa/dev-2"), "saving replaces")
        #expect(
            try await store.worktreeSettings() == [
                dev.id: WorktreeSetting(enabled: true, branch: "wa/dev-2"), qa.id: WorktreeSetting(enabled: false, branch: "wa/qa"),
            ]
        )
        #expect(try await store.liveSessions(of: dev.id).isEmpty)
        let session = try await seed.openSession(dev)
        #expect(try await store.liveSessions(of: dev.id).map(\.id) == [session])
    }
}
