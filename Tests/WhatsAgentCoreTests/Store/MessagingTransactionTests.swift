import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Issue 19: each messaging use case of ``MessageService`` is one write transaction of its store, push marks
/// included, and its events leave only after the commit.
@Suite struct MessagingTransactionTests {
    struct World {
        let home: TemporaryHome
        let workspaces: WorkspaceService
        let hub: EventHub
        let sessions: SessionService
        let messages: MessageService
        let store: any MessagingStore
    }

    func makeWorld(agents: [String] = ["main", "dev", "qa"]) async throws -> World {
        let home = try TemporaryHome()
        let clock = TestClock()
        let workspaces = try makeFileService(home: home, clock: clock)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agentService = AgentService(workspaces: workspaces)
        for name in agents {
            _ = try await agentService.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: name == "main"))
        }
        let hub = EventHub(bus: workspaces.events)
        return World(
            home: home,
            workspaces: workspaces,
            hub: hub,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent", now: { clock.now }),
            messages: MessageService(workspaces: workspaces, hub: hub, now: { clock.now }),
            store: try await workspaces.messagingStore(for: nil).1
        )
    }

    func connect(_ world: World, _ address: String) async throws -> AgentIdentity {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await world.sessions.authenticate(grant.token.rawValue)
    }

    @Test func aSendToAConnectedAgentIsOneWriteTransactionWithItsPushMarks() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(dev.session.id)
        var events = stream.makeAsyncIterator()

        let before = world.store.writeTransactionCount
        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: "c1")
        #expect(world.store.writeTransactionCount == before + 1, "the checks, the row and its push marks commit together")
        #expect(outcome.recipientOnline)
        #expect(outcome.message.state == .pushed)
        #expect(outcome.message.pushPath == "channel")
        guard case .mail(let hint) = await events.next() else {
            Issue.record("no mail hint")
            return
        }
        #expect(hint.messageIDs == [outcome.message.wireID])

        let repeated = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: "c1")
        #expect(repeated.duplicate)
        #expect(world.store.writeTransactionCount == before + 2)
    }

    @Test func aSendRecordsTheSessionsPushInItsOneWriteTransaction() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        _ = await world.hub.subscribe(dev.session.id)
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)

        let before = world.store.writeTransactionCount
        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)
        #expect(world.store.writeTransactionCount == before + 1, "the push record is no write of its own")
        let record = try #require(try await database.sessionPushes([dev.session.id])[dev.session.id], "the send recorded the push")
        #expect(record.lastPushPath == .channel)
        #expect(record.lastPushAt == outcome.message.pushedAt)
        #expect(record.unconfirmedSince == outcome.message.pushedAt)
    }

    @Test func aHintThatFindsNoStreamHasItsPushRecordPutBack() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        _ = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)

        let plans = try await world.store.preparePushes(to: [dev.agent.id], connected: [dev.session.id], now: Date())
        #expect(plans.first?.hint.recordedPath == .channel)
        #expect(try await database.sessionPushes([dev.session.id])[dev.session.id]?.lastPushPath == .channel)
        _ = try await OutboxPublisher(hub: world.hub, bus: world.workspaces.events)
            .publish(StoreOutbox(pushes: plans), of: world.store, committedAt: nil)
        #expect(try await database.sessionPushes([dev.session.id])[dev.session.id] == nil, "no push went out: none recorded")
    }

    @Test func aHintThatFindsNoStreamAfterTheCommitHasItsPushMarksUndone() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let sent = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)
        #expect(sent.message.state == .queued)

        // The transaction saw dev's stream, which closed before the hint was written.
        let plans = try await world.store.preparePushes(to: [dev.agent.id], connected: [dev.session.id], now: Date())
        #expect(plans.first?.markedIDs == [sent.message.id])
        let delivered = try await OutboxPublisher(hub: world.hub, bus: world.workspaces.events)
            .publish(StoreOutbox(pushes: plans), of: world.store, committedAt: nil)
        #expect(delivered.isEmpty)
        let batch = try await world.messages.checkMessages(dev, limit: 10)
        #expect(batch.messages.map(\.state) == [.queued], "back to queued: nothing carried the hint")
    }

    @Test func aChannelPostIsOneWriteTransactionWithItsPushMarks() async throws {
        let world = try await self.makeWorld()
        _ = try await world.workspaces.update(nil, WorkspacePatch(topology: .channel))
        let channels = ChannelService(workspaces: world.workspaces, messages: world.messages)
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(dev.session.id)
        var events = stream.makeAsyncIterator()
        _ = try await channels.post(workspace: nil, from: .agent(main), channel: "shared", body: "warm-up: #shared exists")
        _ = await events.next()

        let before = world.store.writeTransactionCount
        let post = try await channels.post(workspace: nil, from: .agent(main), channel: "shared", body: "standup at ten")
        // Two before: the joins to #shared, then the post.
        #expect(world.store.writeTransactionCount == before + 1, "the joins, the post and the push in one transaction")
        guard case .mail(let hint) = await events.next() else {
            Issue.record("no mail hint")
            return
        }
        #expect(hint.messageIDs.last == post.wireID)
    }

    /// The check, settled as the transport settles it (``ToolCheck/settleAfterFailure(checkIfNotRun:)``): every call is
    /// audited exactly once, whether its transaction committed, rolled back, or never ran.
    @Test func theRBACCheckOfASendRunsInsideItsTransactionAndEveryCallIsAuditedOnce() async throws {
        let world = try await self.makeWorld()
        _ = try await world.workspaces.update(nil, WorkspacePatch(rbacMode: .enforce))
        let main = try await self.connect(world, "api:main")
        _ = await world.hub.subscribe(try await self.connect(world, "api:dev").session.id)
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        let rbac = RBACService(workspaces: world.workspaces)
        func send(to recipient: String, body: String = "hi", as sender: AgentIdentity? = nil) async throws {
            let identity = sender ?? main
            let check = rbac.check(identity: identity, tool: "send_message", ceiling: .enforce)
            do {
                _ = try await world.messages.send(
                    workspace: nil,
                    from: .agent(identity),
                    to: recipient,
                    body: body,
                    clientMessageID: nil,
                    check: check
                )
            } catch {
                try await check.settleAfterFailure()
                throw error
            }
        }
        func audited() async throws -> Int { try await database.auditEntries(AuditFilter()).count }

        let before = world.store.writeTransactionCount
        try await send(to: "api:dev")
        #expect(world.store.writeTransactionCount == before + 1, "the check, its audit row, the message and its push marks: one transaction")
        #expect(try await database.auditEntries(AuditFilter()).map(\.tool) == ["send_message"])

        await #expect(throws: DomainError.self) { try await send(to: "api:nobody") }
        #expect(try await audited() == 2, "rolled back in its transaction: the audit row is written on its own")

        await #expect(throws: DomainError.self) { try await send(to: "api:dev", body: String(repeating: "x", count: 1_000_000)) }
        #expect(try await audited() == 3, "refused before its transaction: the check ran on its own")

        // Committed, then refused (the topology stored it rejected): audited once, not again by the settling.
        _ = try await world.workspaces.update(nil, WorkspacePatch(topology: .star))
        let qa = try await self.connect(world, "api:qa")
        let refusal = await #expect(throws: DomainError.self) { try await send(to: "api:dev", as: qa) }
        #expect(refusal?.code == .topologyRefused)
        #expect(try await audited() == 4, "a refusal after the commit is not audited twice")
    }

    @Test func aDeniedSendCommitsItsAuditRowAloneAndTheDenialWinsOverOtherRefusals() async throws {
        let world = try await self.makeWorld()
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        _ = try await database.updateAgent(try AgentAddress(parsing: "api:dev")) { agent in agent.roles = ["restricted"] }
        _ = try await world.workspaces.update(nil, WorkspacePatch(rbacMode: .enforce))
        let dev = try await self.connect(world, "api:dev")
        let rbac = RBACService(workspaces: world.workspaces)
        func send(body: String = "hi") async throws {
            let check = rbac.check(identity: dev, tool: "send_message", ceiling: .enforce)
            do {
                _ = try await world.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: body, clientMessageID: nil, check: check)
            } catch {
                try await check.settleAfterFailure()
                throw error
            }
        }

        let before = world.store.writeTransactionCount
        let denial = await #expect(throws: DomainError.self) { try await send() }
        #expect(denial?.code == .rbacDenied)
        #expect(world.store.writeTransactionCount == before + 1, "one transaction, holding the audit row alone")
        let qa = try await database.agent(try AgentAddress(parsing: "api:qa"))
        #expect(try await database.waitingMessages(for: qa.id).isEmpty, "nothing was sent")
        #expect(try await database.auditEntries(AuditFilter()).map(\.outcome) == [AuditEntry.denied])

        let tooLong = await #expect(throws: DomainError.self) { try await send(body: String(repeating: "x", count: 1_000_000)) }
        #expect(tooLong?.code == .rbacDenied, "the missing grant is named first")
        #expect(try await database.auditEntries(AuditFilter()).count == 2)
    }

    @Test func aRefusedSendIsOneWriteTransactionAndStillThrows() async throws {
        let world = try await self.makeWorld()
        // Identities are per request: this one is resolved after the change, as the next call would be.
        _ = try await world.workspaces.update(nil, WorkspacePatch(topology: .star))
        let dev = try await self.connect(world, "api:dev")

        let before = world.store.writeTransactionCount
        let refusal = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "psst", clientMessageID: nil)
        }
        #expect(refusal?.code == .topologyRefused)
        #expect(world.store.writeTransactionCount == before + 1, "the rejected row is the send's one transaction")
    }

    @Test func checkMessagesAcknowledgeAndABroadcastAreOneWriteTransactionEach() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let qa = try await self.connect(world, "api:qa")
        _ = await world.hub.subscribe(dev.session.id)
        _ = await world.hub.subscribe(qa.session.id)

        var before = world.store.writeTransactionCount
        let outcomes = try await world.messages.broadcast(from: main, body: "standup")
        #expect(world.store.writeTransactionCount == before + 1, "every row and every push mark of a broadcast in one transaction")
        #expect(outcomes.map(\.message.state) == [.pushed, .pushed])

        _ = try await world.messages.checkMessages(dev, limit: 10)  // the first lease may create #shared, inside it
        _ = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "more", clientMessageID: nil)
        before = world.store.writeTransactionCount
        let batch = try await world.messages.checkMessages(dev, limit: 10)
        #expect(world.store.writeTransactionCount == before + 1)
        #expect(batch.messages.map(\.body) == ["standup", "more"])

        before = world.store.writeTransactionCount
        #expect(try await world.messages.acknowledge(dev, leaseID: try #require(batch.leaseID)) == 2)
        #expect(world.store.writeTransactionCount == before + 1)
    }
}
