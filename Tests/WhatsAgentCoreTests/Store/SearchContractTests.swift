import Foundation
import Testing

@testable import WhatsAgentCore

/// The contract of full-text search (``MessageQueryStore``): who sees which hit, the total beside a short page, best
/// first by each store's documented `rank` (lower is better), against every implementation.
@Suite struct SearchContractTests {
    @Test(arguments: StoreConcernsUnderTest.all)
    func directSearchShowsAnAgentOnlyItsOwnConversations(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
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

    /// The documented matching (docs/mcp.md): case and accents ignored, an identifier with `_` or `-` is one word,
    /// the query is a phrase whose last word is a prefix — whatever the store's engine.
    @Test(arguments: StoreConcernsUnderTest.all)
    func matchingIgnoresCaseAndAccentsKeepsIdentifiersWholeAndMatchesAPhraseWithAPrefix(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let cafe = try await MessagingStoreContractTests.send(store, from: dev, to: qa, body: "Meet at the CAFÉ near the Straße")
        let snake = try await MessagingStoreContractTests.send(store, from: dev, to: qa, body: "rename user_account_id, fix kebab-case-name (WA-123)")
        func found(_ text: String) async throws -> [Int64] {
            try await store.searchMessages(try SearchQuery(text), visibleTo: nil, sender: nil, limit: 10).hits.map(\.message.id)
        }

        #expect(try await found("cafe") == [cafe.message.id])
        #expect(try await found("straße") == [cafe.message.id])
        #expect(try await found("the cafe") == [cafe.message.id], "a phrase")
        #expect(try await found("cafe the").isEmpty, "words in another order are not the phrase")
        #expect(try await found("user_account_id") == [snake.message.id])
        #expect(try await found("user_acc") == [snake.message.id], "a prefix of the last word")
        #expect(try await found("account").isEmpty, "an identifier is one word: no match inside it")
        #expect(try await found("kebab-case-name") == [snake.message.id])
        #expect(try await found("case-name").isEmpty)
        #expect(try await found("wa-12") == [snake.message.id])
        #expect(try await found("123").isEmpty)
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func channelSearchShowsAnAgentOnlyItsChannels(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
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
