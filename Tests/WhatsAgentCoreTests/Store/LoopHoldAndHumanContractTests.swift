import Foundation
import Testing

@testable import WhatsAgentCore

/// The loop guard's holds and the human's conversation through ``MessagingStore``, against every implementation.
@Suite struct LoopHoldAndHumanContractTests {
    typealias Messaging = MessagingStoreContractTests

    /// A send between two agents under the loop guard at `limit`.
    static func guardedSend(
        _ store: any MessagingStore,
        from sender: Agent,
        to recipient: Agent,
        body: String,
        limit: Int
    ) async throws
        -> DirectSendCommit
    {
        let request = DirectSendRequest(
            senderAgentID: sender.id,
            recipient: recipient.address,
            readsPeerRules: true,
            connected: [],
            now: Messaging.start
        )
        let rules = Messaging.rules(from: sender, body: body)
        return try await store.sendDirect(request) { facts in
            var plan = try rules(facts)
            plan.loopGuard = (sender, recipient, limit)
            return plan
        }
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func aPairPastTheLimitIsHeldOnceAlertedAndReleasedInOrder(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        var commits: [DirectSendCommit] = []
        for index in 0..<5 {
            let (sender, recipient) = index.isMultiple(of: 2) ? (dev, qa) : (qa, dev)
            commits.append(try await Self.guardedSend(store, from: sender, to: recipient, body: "ping \(index)", limit: 2))
        }
        #expect(commits.map(\.message.state) == [.queued, .queued, .held, .held, .held])
        #expect(commits.map(\.outbox.watcherEvents.count) == [0, 0, 1, 0, 0], "the hold is created once, by the send that reached the limit")

        let holds = try await store.loopHolds()
        #expect(holds.count == 1)
        #expect(holds.first?.agents == [dev.address.description, qa.address.description].sorted())
        #expect(holds.first?.messages.map(\.body) == ["ping 2", "ping 3", "ping 4"])

        let human = try await store.humanConversation(peer: nil, limit: 10, now: Messaging.start, broadcasts: false)
        #expect(human.map(\.fromAddress) == [LoopGuard.alertSender])
        #expect(human.first?.body.contains("whatsagent msg release") == true)

        let released = try await store.releaseLoopHold(qa, dev, now: Messaging.start)
        #expect(released.released == 3)
        #expect(released.hold.releasedAt == Messaging.start)
        #expect(try await store.loopHolds().isEmpty)
        let again = await #expect(throws: DomainError.self) { try await store.releaseLoopHold(dev, qa, now: Messaging.start) }
        #expect(again?.code == .notFound)

        let (_, lease) = try await Messaging.lease(store, qa, try await seed.openSession(qa))
        #expect(lease.messages.map(\.body) == ["ping 0", "ping 2", "ping 4"], "released messages wait in their order")
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func theHumansConversationAcknowledgesWhatItReads(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let asked = try await Messaging.send(store, from: nil, to: qa, body: "status?").message
        let answer = try await Messaging.send(store, from: qa, to: nil, body: "green").message
        _ = try await Messaging.send(store, from: dev, to: nil, body: "from dev")
        let broadcast = BroadcastRequest(
            senderAgentID: nil,
            fromAddress: MessageSender.humanAddress,
            threadID: "broadcast:h1",
            body: "all hands",
            connected: [],
            now: Messaging.start
        )
        _ = try await store.broadcast(broadcast) { _ in }

        let before = store.writeTransactionCount
        let conversation = try await store.humanConversation(peer: qa.address.description, limit: 10, now: Messaging.start, broadcasts: false)
        #expect(store.writeTransactionCount == before + 1)
        #expect(conversation.map(\.id) == [asked.id, answer.id])
        #expect(conversation.map(\.state) == [.queued, .acknowledged], "what was sent to the human is read now")
        #expect(conversation.last?.acknowledgedAt == Messaging.start)

        let everything = try await store.humanConversation(peer: nil, limit: 10, now: Messaging.start, broadcasts: true)
        #expect(everything.map(\.body) == ["status?", "green", "from dev", "all hands"], "one row per broadcast")
        #expect(everything.filter { $0.toAddress == MessageSender.humanAddress }.allSatisfy { $0.state == .acknowledged })
        let newest = try await store.humanConversation(peer: nil, limit: 1, now: Messaging.start, broadcasts: false)
        #expect(newest.map(\.body) == ["from dev"])
    }
}
