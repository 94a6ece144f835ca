import Foundation
import Testing

@testable import WhatsAgentCore

/// The contract of full-text search (``MessageQueryStore``): who sees which hit, the total beside a short page, best
/// first by each store's documented `rank` (lower is better), against every implementation.
@Suite struct SearchContractTests {
    @Test(arguments: WorkspaceStoreUnderTest.all)
    func directSearchShowsAnAgentOnlyItsOwnConversations(_ implementation: WorkspaceStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.workspaceStore
        let (dev, qa, ops) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"), try await seed.addAgent("api:ops"))
        _ = try await MessagingStoreContractTests.send(store, from: dev, to: qa, body: "the deploy failed on staging")
        _ = try await MessagingStoreContractTests.send(store, from: qa, to: ops, body: "deploy deploy deploy: retry the deploy")
        _ = try await MessagingStoreContractTests.send(store, from: ops, to: qa, body: "lunch?")
        let query = try SearchQuery("deploy")

        let human = try await store.searchMessages(query, visibleTo: nil, sender: nil, limit: 10)
        #expect(human.total == 2)
        #expect(human.hits.map(\.message.fromAddress) == ["api:qa", "api:dev"], "the denser match first")
        #expect(human.hits.map(\.rank) == human.hits.map(\.rank).sorted(), "rank ascends: lower is better")
        #expect(human.hits.allSatisfy { $0.preview.lowercased().contains("deploy") })

        #expect(try await store.searchMessages(query, visibleTo: dev.id, sender: nil, limit: 10).hits.map(\.message.toAddress) == ["api:qa"])
        #expect(try await store.searchMessages(query, visibleTo: ops.id, sender: nil, limit: 10).hits.map(\.message.fromAddress) == ["api:qa"])
        #expect(try await store.searchMessages(query, visibleTo: nil, sender: "api:dev", limit: 10).total == 1)
        let page = try await store.searchMessages(query, visibleTo: nil, sender: nil, limit: 1)
        #expect(page.hits.count == 1 && page.total == 2 && page.truncated)
    }

    @Test(arguments: WorkspaceStoreUnderTest.all)
    func channelSearchShowsAnAgentOnlyItsChannels(_ implementation: WorkspaceStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.workspaceStore
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let ops = try await store.createChannel("ops", by: "api:dev", member: dev.id, now: Contract.now, check: nil)
        for (channel, body) in [("ops", "rollback plan for the release"), ("shared", "release notes are out")] {
            let request = ChannelPostRequest(
                target: .channel(channel),
                senderAgentID: dev.id,
                fromAddress: "api:dev",
                body: body,
                connected: [],
                now: Contract.now
            )
            _ = try await store.postToChannel(request) { _ in }
        }
        let query = try SearchQuery("release")

        #expect(try await store.searchPosts(query, visibleTo: nil, channel: nil, sender: nil, limit: 10).total == 2)
        #expect(try await store.searchPosts(query, visibleTo: dev.id, channel: nil, sender: nil, limit: 10).total == 2)
        #expect(try await store.searchPosts(query, visibleTo: qa.id, channel: nil, sender: nil, limit: 10).hits.map(\.post.channelName) == ["shared"])
        #expect(
            try await store.searchPosts(query, visibleTo: nil, channel: ops, sender: nil, limit: 10).hits.map(\.post.body) == [
                "rollback plan for the release"
            ]
        )
        #expect(try await store.searchPosts(query, visibleTo: nil, channel: nil, sender: "api:qa", limit: 10).total == 0)
    }
}
