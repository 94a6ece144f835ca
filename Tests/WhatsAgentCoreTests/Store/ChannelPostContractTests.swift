import Foundation
import Testing

@testable import WhatsAgentCore

/// The channel-post use case of ``MessagingStore`` (``MessagingStore/postToChannel(_:decide:)``), against every
/// implementation.
@Suite struct ChannelPostContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func request(_ target: ChannelPostRequest.Target, from sender: Agent?, body: String, connected: Set<SessionID> = []) -> ChannelPostRequest
    {
        ChannelPostRequest(
            target: target,
            senderAgentID: sender?.id,
            fromAddress: sender?.address.description ?? MessageSender.humanAddress,
            body: body,
            connected: connected,
            now: start
        )
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func aPostInSharedIsOneTransactionThatReachesEveryOtherAgent(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa, ops) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"), try await seed.addAgent("api:ops"))
        let qaSession = try await seed.openSession(qa)

        let before = store.writeTransactionCount
        let commit = try await store.postToChannel(Self.request(.channel("shared"), from: dev, body: "hello all", connected: [qaSession])) {
            facts in
            #expect(facts.channel.name == "shared")
            #expect(facts.senderIsMember && !facts.senderMuted)
        }
        #expect(store.writeTransactionCount == before + 1, "#shared, the joins, the post and the push in one transaction")
        #expect(commit.post.channelName == "shared")
        #expect(commit.outbox.pushes.map(\.session) == [qaSession], "the connected member, never the poster")
        #expect(commit.outbox.pushes.first?.hint.messageIDs == [commit.post.wireID])

        for agent in [qa, ops] {
            let leaseID = SessionID.generate().rawValue
            let lease = try await store.leaseInbox(
                InboxLeaseRequest(agent: agent.id, session: try await seed.openSession(agent), limit: 10, leaseID: leaseID, now: Self.start)
            )
            #expect(lease.posts.map(\.body) == ["hello all"])
        }
        let reply = try await store.postToChannel(Self.request(.reply(to: commit.post.id), from: qa, body: "hi")) { _ in }
        #expect(reply.post.threadID == commit.post.threadID)
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func theRulesSeeTheMembershipAndARefusalStoresNothing(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let dev = try await seed.addAgent("api:dev")
        _ = try await store.postToChannel(Self.request(.channel("shared"), from: nil, body: "creates #shared")) { _ in }
        let unknown = await #expect(throws: DomainError.self) {
            try await store.postToChannel(Self.request(.channel("nowhere"), from: dev, body: "x")) { _ in }
        }
        #expect(unknown?.code == .notFound)
        let missing = await #expect(throws: DomainError.self) {
            try await store.postToChannel(Self.request(.reply(to: 999_999), from: dev, body: "x")) { _ in }
        }
        #expect(missing?.code == .notFound)

        await #expect(throws: DomainError.self) {
            try await store.postToChannel(Self.request(.channel("shared"), from: dev, body: "refused")) { _ in
                throw DomainError(.rateLimited, "slow down")
            }
        }
        let qa = try await seed.addAgent("api:qa")
        let leaseID = SessionID.generate().rawValue
        let lease = try await store.leaseInbox(
            InboxLeaseRequest(agent: qa.id, session: try await seed.openSession(qa), limit: 10, leaseID: leaseID, now: Self.start)
        )
        #expect(lease.posts.isEmpty, "the refused post was not stored")
    }
}
