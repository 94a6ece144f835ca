import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// SPEC §7.2 delivery states: queued → pushed (by a named path) → surfaced (leased to check_messages) → acknowledged
/// (the lease acked), each with its time; redelivery of an unacknowledged lease; the `message_state` events.
@Suite struct DeliveryStatesTests {
    struct World {
        let home: TemporaryHome
        let clock: TestClock
        let workspaces: WorkspaceService
        let hub: EventHub
        let sessions: SessionService
        let messages: MessageService
        let agents: AgentService
    }

    func makeWorld() async throws -> World {
        let home = try TemporaryHome()
        let clock = TestClock()
        let workspaces = try makeFileService(home: home, clock: clock)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        for name in ["main", "dev"] {
            _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: name == "main"))
        }
        let hub = EventHub()
        return World(
            home: home,
            clock: clock,
            workspaces: workspaces,
            hub: hub,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent", now: { clock.now }),
            messages: MessageService(workspaces: workspaces, hub: hub, now: { clock.now }),
            agents: agents
        )
    }

    func connect(_ world: World, _ address: String) async throws -> AgentIdentity {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await world.sessions.authenticate(grant.token.rawValue)
    }

    func stored(_ world: World, _ id: Int64) async throws -> Message {
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        return try #require(try await database.message(id: id))
    }

    /// The `message_state` events of the feed so far, as "state:ids" (read up to a sentinel published now, so a
    /// missing event fails the test instead of hanging it).
    func stateEvents(_ world: World, _ feed: WorkspaceEventFeed) async throws -> [String] {
        let (workspace, _) = try await world.workspaces.sqliteDatabase(for: nil)
        world.workspaces.events.publish(.closeApproval(epicID: "sentinel"), workspace: workspace.id)
        var seen: [String] = []
        while let item = await feed.next() {
            guard case .event(_, let event) = item else { continue }
            if case .closeApproval("sentinel") = event { break }
            if case .messageState(let ids, let state) = event { seen.append("\(state.rawValue):\(ids.joined(separator: ","))") }
        }
        return seen
    }

    @Test func aMessageGoesQueuedPushedSurfacedAcknowledgedWithEachTimeAndThePushPath() async throws {
        let world = try await self.makeWorld()
        let feed = world.workspaces.events.subscribe()
        let main = try await self.connect(world, "api:main")
        let sentAt = world.clock.now

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)
        #expect(outcome.message.state == .queued, "api:dev is not connected: nothing pushed it")
        #expect(try await self.stored(world, outcome.message.id).pushedAt == nil)

        world.clock.advance(seconds: 1)
        let dev = try await self.connect(world, "api:dev")
        let (_, _) = await world.hub.subscribe(dev.session.id)
        try await world.messages.pushWaiting(to: dev)
        var message = try await self.stored(world, outcome.message.id)
        #expect(message.state == .pushed)
        #expect(message.pushPath == "channel", "a Claude agent is pushed through its channel")
        #expect(message.pushedAt == sentAt.addingTimeInterval(1))

        world.clock.advance(seconds: 1)
        let batch = try await world.messages.checkMessages(dev, limit: 10)
        message = try await self.stored(world, outcome.message.id)
        #expect(message.state == .surfaced, "leased to check_messages, not yet acknowledged")
        #expect(message.surfacedAt == sentAt.addingTimeInterval(2))
        #expect(message.acknowledgedAt == nil)

        world.clock.advance(seconds: 1)
        try await world.messages.acknowledge(dev, leaseID: try #require(batch.leaseID))
        message = try await self.stored(world, outcome.message.id)
        #expect(message.state == .acknowledged)
        #expect(message.acknowledgedAt == sentAt.addingTimeInterval(3))
        #expect(message.pushedAt == sentAt.addingTimeInterval(1) && message.surfacedAt == sentAt.addingTimeInterval(2), "earlier times kept")

        let id = outcome.message.wireID
        #expect(try await self.stateEvents(world, feed) == ["pushed:\(id)", "surfaced:\(id)", "acknowledged:\(id)"])
    }

    @Test func theSendResultShowsPushedWhenTheHintWentOut() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (_, _) = await world.hub.subscribe(dev.session.id)

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)

        #expect(outcome.recipientOnline)
        #expect(outcome.message.state == .pushed)
        #expect(outcome.message.pushPath == "channel")
        #expect(outcome.message.pushedAt == world.clock.now)
    }

    @Test(arguments: [(Runtime.opencode, "plugin"), (.pi, "extension"), (.codex, "typed"), (.custom, "typed")])
    func thePushPathFollowsTheRuntime(runtime: Runtime, path: String) async throws {
        let world = try await self.makeWorld()
        _ = try await world.agents.update(
            workspace: nil,
            try AgentAddress(parsing: "api:dev"),
            AgentPatch(runtime: runtime, command: runtime == .custom ? "bash" : nil)
        )
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (_, _) = await world.hub.subscribe(dev.session.id)

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)

        #expect(try await self.stored(world, outcome.message.id).pushPath == path)
    }

    @Test func withNudgesOffACodexMessageStaysQueuedUntilCheckMessages() async throws {
        let world = try await self.makeWorld()
        _ = try await world.agents.update(
            workspace: nil,
            try AgentAddress(parsing: "api:dev"),
            AgentPatch(runtime: .codex, nudgeEnabled: false)
        )
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (_, _) = await world.hub.subscribe(dev.session.id)

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)

        #expect(outcome.message.state == .queued, "no path carries the hint to the model: not pushed")
        #expect(try await self.stored(world, outcome.message.id).pushedAt == nil)
        _ = try await world.messages.checkMessages(dev, limit: 10)
        #expect(try await self.stored(world, outcome.message.id).state == .surfaced)
    }

    /// A lease that is never acknowledged (the client or `whatsagent mcp` crashed before the ack): the message stays
    /// waiting as `surfaced`, the next `check_messages` returns it again (redelivered, same id, a new surfacedAt), and
    /// only the acknowledgement of that new lease makes it `acknowledged`.
    @Test func anUnacknowledgedSurfacedMessageIsRedeliveredAndAcknowledgedByTheNewLease() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        let (_, _) = await world.hub.subscribe(dev.session.id)
        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)
        let start = world.clock.now

        let first = try await world.messages.checkMessages(dev, limit: 10)
        world.clock.advance(seconds: 5)
        // A new hint (the agent reconnected) names it again, but it is no longer queued: it stays surfaced.
        try await world.messages.pushWaiting(to: dev)
        #expect(try await self.stored(world, outcome.message.id).state == .surfaced)
        let second = try await world.messages.checkMessages(dev, limit: 10)

        #expect(second.messages.map(\.id) == [outcome.message.id])
        #expect(second.envelope.text.contains("(redelivered)"))
        var message = try await self.stored(world, outcome.message.id)
        #expect(message.state == .surfaced && message.deliveries == 2)
        #expect(message.surfacedAt == start.addingTimeInterval(5))
        #expect(message.pushedAt == start, "the push time stays the first hint's")

        // The stale first lease no longer holds the message: acknowledging it (refused or a no-op) changes nothing.
        _ = try? await world.messages.acknowledge(dev, leaseID: try #require(first.leaseID))
        #expect(try await self.stored(world, outcome.message.id).state == .surfaced)
        try await world.messages.acknowledge(dev, leaseID: try #require(second.leaseID))
        message = try await self.stored(world, outcome.message.id)
        #expect(message.state == .acknowledged && message.acknowledgedAt == start.addingTimeInterval(5))
        #expect(try await world.messages.checkMessages(dev, limit: 10).messages.isEmpty)
    }

    @Test func acknowledgingCountsTheNewAndTheOldMetricName() async throws {
        let world = try await self.makeWorld()
        let main = try await self.connect(world, "api:main")
        let dev = try await self.connect(world, "api:dev")
        _ = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "hi", clientMessageID: nil)

        let batch = try await world.messages.checkMessages(dev, limit: 10)
        try await world.messages.acknowledge(dev, leaseID: try #require(batch.leaseID))

        let text = world.messages.metrics.registry.render()
        #expect(text.contains("whatsagent_messages_acknowledged_total{kind=\"direct\"} 1\n"))
        #expect(text.contains("whatsagent_messages_delivered_total{kind=\"direct\"} 1\n"), "the old name, one more release")
    }
}
