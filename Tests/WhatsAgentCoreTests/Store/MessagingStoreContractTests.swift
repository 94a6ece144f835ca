import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``MessagingStore``, written against the protocol and run against every implementation
/// (``MessagingStoreUnderTest/all``): each use case is one write transaction, reads its checks inside it, and returns
/// what to publish after the commit.
@Suite struct MessagingStoreContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// The real rules of a direct send (``TopologyRules``), as a service would decide them on the store's facts.
    static func rules(
        from sender: Agent?,
        body: String,
        clientID: String? = nil,
        topology: Topology = .p2p,
        now: Date = start
    ) -> @Sendable (DirectSendFacts) throws -> DirectSendPlan {
        { facts in
            let from: TopologyRules.Party = sender.map { .agent(address: $0.address.description, isMain: $0.isMain) } ?? .human
            let to: TopologyRules.Party = facts.recipient.map { .agent(address: $0.address.description, isMain: $0.isMain) } ?? .human
            let refusal =
                facts.senderMuted
                ? "muted"
                : TopologyRules.refusal(topology: topology, from: from, to: to, mainAddress: facts.mainAddress, peerRules: facts.peerRules)
            let fromAddress = sender?.address.description ?? MessageSender.humanAddress
            let toAddress = facts.recipient?.address.description ?? MessageSender.humanAddress
            return DirectSendPlan(
                message: Message(
                    id: 0,
                    kind: "direct",
                    fromAgentID: sender?.id,
                    fromAddress: fromAddress,
                    toAgentID: facts.recipient?.id,
                    toAddress: toAddress,
                    threadID: Message.directThread(fromAddress, toAddress),
                    body: body,
                    state: refusal == nil ? .queued : .rejected,
                    rejection: refusal,
                    clientMessageID: clientID,
                    sentAt: now,
                    deliveries: 0
                )
            )
        }
    }

    static func send(
        _ store: any MessagingStore,
        from sender: Agent?,
        to recipient: Agent?,
        body: String,
        clientID: String? = nil,
        topology: Topology = .p2p,
        connected: Set<SessionID> = []
    ) async throws -> DirectSendCommit {
        let request = DirectSendRequest(
            senderAgentID: sender?.id,
            recipient: recipient?.address,
            readsPeerRules: topology == .p2p,
            connected: connected,
            now: start
        )
        return try await store.sendDirect(request, decide: self.rules(from: sender, body: body, clientID: clientID, topology: topology))
    }

    static func lease(_ store: any MessagingStore, _ agent: Agent, _ session: SessionID, limit: Int = 50) async throws -> (String, InboxLease) {
        let leaseID = SessionID.generate().rawValue
        let lease = try await store.leaseInbox(InboxLeaseRequest(agent: agent.id, session: session, limit: limit, leaseID: leaseID, now: start))
        return (leaseID, lease)
    }

    // MARK: - Send

    @Test(arguments: MessagingStoreUnderTest.all)
    func aSendIsOneWriteTransactionAndIdempotentOnItsClientMessageID(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))

        let before = store.writeTransactionCount
        let first = try await Self.send(store, from: dev, to: qa, body: "hello", clientID: "c-1")
        #expect(store.writeTransactionCount == before + 1)
        #expect(!first.duplicate)
        #expect(first.message.state == .queued)
        #expect(first.outbox.events == [.message(MessageNotice(first.message))])

        let repeated = try await Self.send(store, from: dev, to: qa, body: "hello", clientID: "c-1")
        #expect(repeated.duplicate)
        #expect(repeated.message.id == first.message.id)
        #expect(repeated.outbox == StoreOutbox())

        let conflict = await #expect(throws: DomainError.self) {
            try await Self.send(store, from: dev, to: qa, body: "another body", clientID: "c-1")
        }
        #expect(conflict?.code == .idempotencyConflict)

        let session = try await seed.openSession(qa)
        let (_, lease) = try await Self.lease(store, qa, session)
        #expect(lease.messages.map(\.id) == [first.message.id])
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func messagesOfOneSenderArriveInTheOrderTheyWereSent(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, ops, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:ops"), try await seed.addAgent("api:qa"))
        var sent: [String] = []
        for index in 0..<6 {
            let sender = index.isMultiple(of: 2) ? dev : ops
            let body = "\(sender.name) \(index)"
            _ = try await Self.send(store, from: sender, to: qa, body: body)
            sent.append(body)
        }
        let session = try await seed.openSession(qa)
        let (_, lease) = try await Self.lease(store, qa, session)
        #expect(lease.messages.map(\.body) == sent)
        #expect(lease.messages.filter { $0.fromAgentID == dev.id }.map(\.body) == ["dev 0", "dev 2", "dev 4"])
        #expect(lease.messages.map(\.id) == lease.messages.map(\.id).sorted())
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func aTopologyRefusalIsRecordedAsARejectedRowInTheSameTransaction(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        _ = try await seed.addAgent("api:main", isMain: true)
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let session = try await seed.openSession(qa)

        let before = store.writeTransactionCount
        let refused = try await Self.send(store, from: dev, to: qa, body: "psst", topology: .star, connected: [session])
        #expect(store.writeTransactionCount == before + 1)
        #expect(refused.message.state == .rejected)
        #expect(refused.message.rejection?.contains("star topology") == true)
        #expect(refused.message.rejection?.contains("api:main") == true, "the main agent was read inside the transaction")
        #expect(refused.outbox.events == [.message(MessageNotice(refused.message))])
        #expect(refused.outbox.pushes.isEmpty, "a refused message is never pushed")

        let (_, lease) = try await Self.lease(store, qa, session)
        #expect(lease.messages.isEmpty, "a rejected row waits for nobody")

        try await seed.mute(dev)
        let muted = try await Self.send(store, from: dev, to: qa, body: "still here", topology: .p2p)
        #expect(muted.facts.senderMuted)
        #expect(muted.message.state == .rejected)
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func aRefusalThrownByTheRulesStoresNothing(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let request = DirectSendRequest(senderAgentID: dev.id, recipient: qa.address, readsPeerRules: true, connected: [], now: Self.start)
        await #expect(throws: DomainError.self) {
            try await store.sendDirect(request) { _ in throw DomainError(.rateLimited, "slow down") }
        }
        let unknown = await #expect(throws: DomainError.self) {
            try await Self.send(store, from: dev, to: Agent.unknown, body: "anyone?")
        }
        #expect(unknown?.code == .agentNotFound || unknown?.code == .repoNotFound)
        let session = try await seed.openSession(qa)
        let (_, lease) = try await Self.lease(store, qa, session)
        #expect(lease.messages.isEmpty)
    }

    // MARK: - Lease and acknowledgement

    @Test(arguments: MessagingStoreUnderTest.all)
    func aLeaseSurfacesTheMessagesAndItsAcknowledgementEndsThem(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let one = try await Self.send(store, from: dev, to: qa, body: "one").message
        let two = try await Self.send(store, from: dev, to: qa, body: "two").message
        let session = try await seed.openSession(qa)

        var before = store.writeTransactionCount
        let (leaseID, lease) = try await Self.lease(store, qa, session)
        #expect(store.writeTransactionCount == before + 1)
        #expect(lease.messages.map(\.id) == [one.id, two.id])
        #expect(lease.messages.allSatisfy { $0.deliveries == 0 }, "returned as they were before the lease")
        #expect(lease.outbox.events == [.messageState(messageIDs: [one.wireID, two.wireID], state: .surfaced)])

        before = store.writeTransactionCount
        let acknowledged = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Self.start)
        #expect(store.writeTransactionCount == before + 1)
        #expect(acknowledged.messageIDs == [one.id, two.id])
        #expect(acknowledged.kinds == ["direct": 2])

        let repeated = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Self.start)
        #expect(repeated.messageIDs.isEmpty, "acknowledging one's own lease again is a no-op")
        let foreign = await #expect(throws: DomainError.self) {
            try await store.acknowledge(lease: leaseID, agent: dev.id, now: Self.start)
        }
        #expect(foreign?.code == .notFound)
        let (_, after) = try await Self.lease(store, qa, session)
        #expect(after.messages.isEmpty)
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func anUnacknowledgedLeaseIsRedeliveredByTheNextOne(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let sent = try await Self.send(store, from: dev, to: qa, body: "lost in transit").message
        let first = try await seed.openSession(qa)
        _ = try await Self.lease(store, qa, first)

        // The client never acknowledged (its connection dropped): the next check_messages, in a new session, gets it again.
        let second = try await seed.openSession(qa)
        let (leaseID, again) = try await Self.lease(store, qa, second)
        #expect(again.messages.map(\.id) == [sent.id])
        #expect(again.messages.first?.deliveries == 1)
        #expect(again.messages.first?.state == .surfaced)
        let acknowledged = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Self.start)
        #expect(acknowledged.messageIDs == [sent.id])
    }

    // MARK: - Broadcast

    @Test(arguments: MessagingStoreUnderTest.all)
    func aBroadcastReachesEveryOtherAgentInOneTransaction(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let dev = try await seed.addAgent("api:dev")
        let others = [try await seed.addAgent("api:ops"), try await seed.addAgent("api:qa"), try await seed.addAgent("web:ui")]
        let uiSession = try await seed.openSession(others[2])
        let request = BroadcastRequest(
            senderAgentID: dev.id,
            fromAddress: dev.address.description,
            threadID: "broadcast:t1",
            body: "standup",
            connected: [uiSession],
            now: Self.start
        )

        let before = store.writeTransactionCount
        let commit = try await store.broadcast(request) { facts in
            let recipients: Set<AgentID> = Set(facts.recipients.map(\.id))
            #expect(recipients == Set(others.map(\.id)))
            #expect(!facts.senderMuted)
        }
        #expect(store.writeTransactionCount == before + 1)
        #expect(Set(commit.deliveries.map(\.recipient.id)) == Set(others.map(\.id)))
        #expect(commit.deliveries.allSatisfy { $0.message.threadID == "broadcast:t1" && $0.message.kind == "broadcast" })
        #expect(commit.deliveries.filter(\.online).map(\.recipient.id) == [others[2].id])
        #expect(commit.outbox.events.count == 3)
        #expect(commit.outbox.pushes.map(\.session) == [uiSession])

        await #expect(throws: DomainError.self) {
            try await store.broadcast(request) { _ in throw DomainError(.agentMuted, "muted") }
        }
        for agent in others {
            let (_, lease) = try await Self.lease(store, agent, try await seed.openSession(agent))
            #expect(lease.messages.map(\.body) == ["standup"], "one row each; the refused broadcast stored nothing")
        }
    }

    // MARK: - Push marks

    @Test(arguments: MessagingStoreUnderTest.all)
    func aSendToAConnectedRecipientMarksItsQueuedMailPushedInTheSameTransaction(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let waiting = try await Self.send(store, from: dev, to: qa, body: "before you connected").message
        let session = try await seed.openSession(qa)

        let before = store.writeTransactionCount
        let commit = try await Self.send(store, from: dev, to: qa, body: "now", connected: [session])
        #expect(store.writeTransactionCount == before + 1)
        #expect(commit.recipientOnline)
        let plan = try #require(commit.outbox.pushes.first)
        #expect(commit.outbox.pushes.count == 1)
        #expect(plan.session == session)
        #expect(plan.path == .channel)
        #expect(plan.hint.messageIDs == [waiting.wireID, commit.message.wireID])
        #expect(plan.markedIDs == [waiting.id, commit.message.id])
        #expect(plan.applied(to: commit.message).state == .pushed)

        let (_, lease) = try await Self.lease(store, qa, session)
        #expect(lease.messages.map(\.state) == [.pushed, .pushed])
        #expect(lease.messages.map(\.pushPath) == ["channel", "channel"])
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func nothingIsMarkedForARecipientThatIsNotConnectedOrWhosePushesAreOff(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let dev = try await seed.addAgent("api:dev")
        let (qa, quiet, codex) = (
            try await seed.addAgent("api:qa"),
            try await seed.addAgent("api:quiet", pushEnabled: false),
            try await seed.addAgent("api:codex", runtime: .codex, nudgeEnabled: false)
        )
        let qaSession = try await seed.openSession(qa)
        let quietSession = try await seed.openSession(quiet)
        let codexSession = try await seed.openSession(codex)

        let offline = try await Self.send(store, from: dev, to: qa, body: "the session holds no stream")
        #expect(!offline.recipientOnline)
        #expect(offline.outbox.pushes.isEmpty)

        let paused = try await Self.send(store, from: dev, to: quiet, body: "pushes off", connected: [quietSession])
        #expect(paused.recipientOnline)
        #expect(paused.outbox.pushes.isEmpty)

        // Path none (a Codex agent with nudges off): the hint goes out, but nothing carries it to the model.
        let untyped = try await Self.send(store, from: dev, to: codex, body: "nudges off", connected: [codexSession])
        let plan = try #require(untyped.outbox.pushes.first)
        #expect(plan.path == MessagePushPath.none)
        #expect(plan.markedIDs.isEmpty)

        for (agent, session) in [(qa, qaSession), (quiet, quietSession), (codex, codexSession)] {
            let (_, lease) = try await Self.lease(store, agent, session)
            #expect(lease.messages.map(\.state) == [.queued])
        }
    }

    @Test(arguments: MessagingStoreUnderTest.all)
    func pushesOnConnectAreOneTransactionAndCanBeRevertedWhenTheHintFindsNoStream(_ implementation: MessagingStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.store
        let dev = try await seed.addAgent("api:dev")
        let (qa, ops) = (try await seed.addAgent("api:qa"), try await seed.addAgent("api:ops"))
        let toQA = try await Self.send(store, from: dev, to: qa, body: "for qa").message
        let toOps = try await Self.send(store, from: dev, to: ops, body: "for ops").message
        let (qaSession, opsSession) = (try await seed.openSession(qa), try await seed.openSession(ops))

        let before = store.writeTransactionCount
        let plans = try await store.preparePushes(to: [qa.id, ops.id], connected: [qaSession, opsSession], now: Self.start)
        #expect(store.writeTransactionCount == before + 1)
        #expect(plans.map(\.markedIDs) == [[toQA.id], [toOps.id]])

        // The ops stream closed before the hint went out: its marks are undone.
        try await store.revertPushMarks(plans[1])
        let (_, qaLease) = try await Self.lease(store, qa, qaSession)
        let (_, opsLease) = try await Self.lease(store, ops, opsSession)
        #expect(qaLease.messages.map(\.state) == [.pushed])
        #expect(opsLease.messages.map(\.state) == [.queued])
        #expect(opsLease.messages.first?.pushedAt == nil)
    }
}

extension Agent {
    /// An agent no store knows.
    static let unknown = Agent(
        id: .generate(),
        repoID: .generate(),
        repoName: "nowhere",
        name: "nobody",
        runtime: .claude,
        command: nil,
        args: [],
        roles: [],
        isMain: false,
        pushEnabled: true,
        persona: nil,
        createdAt: Date(timeIntervalSince1970: 0),
        updatedAt: Date(timeIntervalSince1970: 0)
    )
}
