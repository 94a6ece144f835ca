import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of the repo, agent, session and RBAC stores, written against ``WorkspaceStore`` and run against every
/// implementation (``StoreConcernsUnderTest/all``): the checks each method makes inside its transaction, and what it
/// returns.
@Suite struct WorkspaceStoreContractTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func repo(_ name: String) -> Repo {
        Repo(id: .generate(), name: name, path: "/tmp/contract/\(name)-\(UUID().uuidString.prefix(6))", createdAt: now, updatedAt: now)
    }

    static func agent(_ name: String, in repo: Repo, roles: [String] = []) -> Agent {
        Agent(
            id: .generate(),
            repoID: repo.id,
            repoName: repo.name,
            name: name,
            runtime: .claude,
            command: nil,
            args: [],
            roles: roles,
            isMain: false,
            pushEnabled: true,
            persona: nil,
            createdAt: now,
            updatedAt: now
        )
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func reposAndAgentsAreCheckedInsideTheirTransaction(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()  // held to the end: a PostgreSQL seed closes its pool when released
        let store = seed.concerns
        let api = Self.repo("api")
        try await store.insertRepo(api)
        let clash = await #expect(throws: DomainError.self) { try await store.insertRepo(Self.repo("API")) }
        #expect(clash?.code == .nameTaken, "repo names compare without case")

        let main = try await store.insertAgent(Self.agent("main", in: api))
        #expect(main.isMain, "an agent named main becomes the main agent while there is none")
        let dev = try await store.insertAgent(Self.agent("dev", in: api, roles: ["engineer"]))
        #expect(!dev.isMain)
        let duplicate = await #expect(throws: DomainError.self) { try await store.insertAgent(Self.agent("DEV", in: api)) }
        #expect(duplicate?.code == .nameTaken)

        let changed = try await store.updateAgent(dev.address) { agent in
            agent.roles = ["reviewer"]
            agent.isMain = true
        }
        #expect(changed.roles == ["reviewer"] && changed.isMain)
        #expect(try await store.agent(main.address).isMain == false, "one main agent: the old one was cleared")
        #expect(try await store.unsetMain(now: Self.now)?.address == dev.address)
        #expect(try await store.agents().filter(\.isMain).isEmpty)
        #expect(try await store.repos().map(\.name) == ["api"])
        #expect(try await store.countsNow() == (repos: 1, agents: 2, liveSessions: 0))
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func aSessionIsFoundByItsTokenHashUntilItEnds(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()  // held to the end: a PostgreSQL seed closes its pool when released
        let store = seed.concerns
        let api = Self.repo("api")
        try await store.insertRepo(api)
        let dev = try await store.insertAgent(Self.agent("dev", in: api))
        let session = LiveSession(id: .generate(), agentID: dev.id, agentAddress: dev.address.description, kind: .external, startedAt: Self.now)

        let opened = try await store.openSession(session, tokenHash: "hash-1", replace: false, now: Self.now)
        #expect(opened.opened.id == session.id && opened.replaced == nil)
        let second = LiveSession(id: .generate(), agentID: dev.id, agentAddress: dev.address.description, kind: .external, startedAt: Self.now)
        await #expect(throws: DomainError.self, "one live session per agent unless replacing") {
            _ = try await store.openSession(second, tokenHash: "hash-2", replace: false, now: Self.now)
        }
        #expect(try await store.liveSession(tokenHash: "hash-1")?.0.id == session.id)
        #expect(try await store.liveSession(tokenHash: "hash-1")?.1.id == dev.id)

        let refused = await #expect(throws: DomainError.self) { try await store.deleteAgent(dev.address, force: false, now: Self.now) }
        #expect(refused?.code == .liveSessions, "an agent with a live session is not deleted unless forced")

        let replaced = try await store.openSession(second, tokenHash: "hash-2", replace: true, now: Self.now)
        #expect(replaced.replaced?.id == session.id)
        #expect(try await store.liveSession(tokenHash: "hash-1") == nil, "the replaced session's token no longer resolves")
        #expect(try await store.liveSessionsByAgent()[dev.id]?.id == second.id)

        #expect(try await store.endSession(of: dev.address, reason: "test", now: Self.now)?.id == second.id)
        #expect(try await store.liveSession(tokenHash: "hash-2") == nil)
        #expect(try await store.endSession(of: dev.address, reason: "again", now: Self.now) == nil)
        #expect(try await store.deleteAgent(dev.address, force: false, now: Self.now).isEmpty)
    }

    /// A forced removal ends the live sessions in its transaction; what waits for a removed agent stops counting.
    @Test(arguments: StoreConcernsUnderTest.all)
    func aRepoWithLiveSessionsGoesOnlyByForceAndTheCountsFollow(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("web:qa"))
        let session = try await seed.openSession(dev)
        _ = try await seed.openSession(qa)
        _ = try await MessagingStoreContractTests.send(store, from: qa, to: dev, body: "waiting for dev")
        #expect(try await store.metricCounts().liveSessions == 2)
        #expect(try await store.metricCounts().queued == ["direct": 1])
        #expect(try await store.isMuted(dev.id) == false)

        let refused = await #expect(throws: DomainError.self) { try await store.deleteRepo(named: "API", force: false, now: Self.now) }
        #expect(refused?.code == .liveSessions && refused?.message.contains("whatsagent repo remove api --force") == true)
        let ended = try await store.deleteRepo(named: "api", force: true, now: Self.now)

        #expect(ended.map(\.id) == [session])
        #expect(try await store.repos().map(\.name) == ["web"])
        #expect(try await store.liveSessions().map(\.agentAddress) == ["web:qa"])
        #expect(try await store.countsNow() == (repos: 1, agents: 1, liveSessions: 1))
        let missing = await #expect(throws: DomainError.self) { try await store.agent(dev.address) }
        #expect(missing?.code == .repoNotFound)
        #expect(try await store.endAllSessions(reason: "trashed", now: Self.now).map(\.agentAddress) == ["web:qa"])
        #expect(try await store.metricCounts().liveSessions == 0)
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func grantsOfACustomRoleReachItsAgentsAndARoleStillHeldIsNotDeleted(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()  // held to the end: a PostgreSQL seed closes its pool when released
        let store = seed.concerns
        let api = Self.repo("api")
        try await store.insertRepo(api)
        let dev = try await store.insertAgent(Self.agent("dev", in: api, roles: ["restricted", "channel-admin"]))
        let before = try await store.effectiveGrants(of: dev.id)
        #expect(before.roles == ["restricted", "channel-admin"])
        #expect(!before.grants.contains(.channel(.createChannel)))

        _ = try await store.insertRole(named: "channel-admin", description: "creates channels", now: Self.now)
        let role = try await store.addGrant(.channel(.createChannel), toRole: "channel-admin", now: Self.now)
        #expect(role.grants.contains(.channel(.createChannel)))
        #expect(try await store.effectiveGrants(of: dev.id).grants.contains(.channel(.createChannel)))
        #expect(try await store.roles().contains { $0.name == "channel-admin" })

        _ = try await store.removeGrant(.channel(.createChannel), fromRole: "channel-admin", now: Self.now)
        #expect(try await !store.effectiveGrants(of: dev.id).grants.contains(.channel(.createChannel)))
        let held = await #expect(throws: DomainError.self) { try await store.deleteRole(named: "channel-admin") }
        #expect(held?.message.contains("api:dev") == true, "the refusal names who still holds the role")
        _ = try await store.updateAgent(dev.address) { $0.roles = ["restricted"] }
        try await store.deleteRole(named: "channel-admin")
        let gone = await #expect(throws: DomainError.self) { try await store.role(named: "channel-admin") }
        #expect(gone != nil)
    }
}
