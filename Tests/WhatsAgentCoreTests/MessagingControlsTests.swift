import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// A p2p workspace with api:main (main), api:a, api:b and api:c, on a clock the tests move.
struct ControlsWorld {
    let home: TemporaryHome
    let clock: TestClock
    let workspaces: WorkspaceService
    let hub: EventHub
    let sessions: SessionService
    let messages: MessageService
    let channels: ChannelService
    let agents: AgentService

    init(topology: Topology = .p2p, loopGuard: Limit = .value(4)) async throws {
        self.home = try TemporaryHome()
        self.clock = TestClock()
        let clock = self.clock
        self.workspaces = try makeFileService(home: self.home, clock: clock)
        _ = try await self.workspaces.create(WorkspaceDraft(name: "w", topology: topology, rateLimit: .off, loopGuard: loopGuard))
        _ = try await RepoService(workspaces: self.workspaces).add(workspace: nil, path: try self.home.makeDirectory("api"), name: nil)
        self.agents = AgentService(workspaces: self.workspaces, now: { clock.now })
        for (name, main) in [("main", true), ("a", false), ("b", false), ("c", false)] {
            _ = try await self.agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: main))
        }
        self.hub = EventHub()
        self.sessions = SessionService(
            workspaces: self.workspaces,
            hub: self.hub,
            socketPath: "/s",
            executablePath: "/bin/whatsagent",
            now: { clock.now }
        )
        self.messages = MessageService(workspaces: self.workspaces, hub: self.hub, now: { clock.now })
        self.channels = ChannelService(workspaces: self.workspaces, messages: self.messages, now: { clock.now })
    }

    func connect(_ address: String) async throws -> AgentIdentity {
        let grant = try await self.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await self.sessions.authenticate(grant.token.rawValue)
    }

    /// Sends one message a second (so every message has its own time).
    @discardableResult
    func send(_ from: AgentIdentity, _ to: String, _ body: String, clientID: String? = nil) async throws -> SendOutcome {
        self.clock.advance(seconds: 1)
        return try await self.messages.send(workspace: nil, from: .agent(from), to: to, body: body, clientMessageID: clientID)
    }

    /// `count` messages alternating a → b, b → a; returns their states.
    func pingPong(_ a: AgentIdentity, _ b: AgentIdentity, count: Int, tag: String = "") async throws -> [Message.State] {
        var states: [Message.State] = []
        for index in 0..<count {
            let (from, to) = index.isMultiple(of: 2) ? (a, b.agent.address.description) : (b, a.agent.address.description)
            states.append(try await self.send(from, to, "\(tag)ping \(index)").message.state)
        }
        return states
    }

    func database() async throws -> WorkspaceDatabase {
        try await self.workspaces.sqliteDatabase(for: nil).1
    }
}

/// Loop guard (SPEC §7.5): pairs past the limit are held, the human is alerted and releases them.
@Suite struct LoopGuardTests {
    @Test func aPairPastTheLimitIsHeldInBothDirectionsAndTheHumanIsAlerted() async throws {
        let world = try await ControlsWorld(loopGuard: .value(4))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        let (events, _) = await world.hub.subscribe(workspace: a.workspace.id)

        let states = try await world.pingPong(a, b, count: 4)
        #expect(states == [.queued, .queued, .queued, .queued])

        let fifth = try await world.send(b, "api:a", "one more")
        let sixth = try await world.send(a, "api:b", "and another")

        #expect(fifth.message.state == .held)
        #expect(sixth.message.state == .held)
        #expect(!fifth.recipientOnline)
        var iterator = events.makeAsyncIterator()
        guard case .loopHeld(let hold) = await iterator.next() else {
            Issue.record("expected a loopHeld event")
            return
        }
        #expect(hold.agents == ["api:a", "api:b"])
        let holds = try await world.messages.holds(workspace: nil)
        #expect(holds.count == 1)
        #expect(holds.first?.messages.map(\.body) == ["one more", "and another"])
        let inbox = try await world.messages.humanMessages(workspace: nil, peer: nil, limit: 50)
        let alert = try #require(inbox.first { $0.fromAddress == LoopGuard.alertSender })
        #expect(alert.toAddress == "human-web")
        #expect(alert.body.contains("api:a") && alert.body.contains("api:b"))
        #expect(alert.body.contains("whatsagent msg release api:a api:b"))
        #expect(inbox.filter { $0.fromAddress == LoopGuard.alertSender }.count == 1, "one alert per hold")
    }

    @Test func heldMessagesAreNeitherLeasedNorPushed() async throws {
        let world = try await ControlsWorld(loopGuard: .value(2))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.pingPong(a, b, count: 2)
        let batch = try await world.messages.checkMessages(a, limit: 50)
        try await world.messages.acknowledge(a, leaseID: try #require(batch.leaseID))

        let held = try await world.send(b, "api:a", "held one")
        let (stream, _) = await world.hub.subscribe(a.session.id)
        try await world.messages.pushWaiting(to: a)
        await world.hub.publish(.toolsChanged, to: a.session.id)

        #expect(held.message.state == .held)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .toolsChanged, "nothing waits for api:a, so no mail hint was pushed")
        let again = try await world.messages.checkMessages(a, limit: 50)
        #expect(again.messages.isEmpty)
        #expect(try await world.database().waitingMessages(for: a.agent.id).isEmpty)
    }

    @Test func otherPairsBroadcastsAndTheHumanAreNotHeld() async throws {
        let world = try await ControlsWorld(loopGuard: .value(2))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.pingPong(a, b, count: 3)

        let toC = try await world.send(a, "api:c", "hello c")
        let broadcast = try await world.messages.broadcast(from: a, body: "everyone")
        let fromHuman = try await world.messages.send(workspace: nil, from: .human, to: "api:b", body: "stop it", clientMessageID: nil)
        let toHuman = try await world.send(a, "human-web", "status")

        #expect(toC.message.state == .queued)
        #expect(broadcast.allSatisfy { $0.message.state == .queued })
        #expect(fromHuman.message.state == .queued)
        #expect(toHuman.message.state == .queued)
        #expect(try await world.send(b, "api:a", "still looping").message.state == .held, "only a release ends a hold")
    }

    @Test func aHumanMessageInTheWindowRestartsTheCount() async throws {
        let world = try await ControlsWorld(loopGuard: .value(4))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))

        let before = try await world.pingPong(a, b, count: 3)
        world.clock.advance(seconds: 1)
        _ = try await world.messages.send(workspace: nil, from: .human, to: "api:a", body: "carry on", clientMessageID: nil)
        let after = try await world.pingPong(a, b, count: 5, tag: "after ")

        #expect(before == [.queued, .queued, .queued])
        #expect(after == [.queued, .queued, .queued, .queued, .held])
    }

    @Test func aHumanBroadcastAlsoRestartsTheCount() async throws {
        let world = try await ControlsWorld(loopGuard: .value(4))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))

        let before = try await world.pingPong(a, b, count: 3)
        world.clock.advance(seconds: 1)
        _ = try await world.messages.broadcast(workspace: nil, fromHumanBody: "everyone: focus")
        let after = try await world.pingPong(a, b, count: 5, tag: "after ")

        #expect(before == [.queued, .queued, .queued])
        #expect(after == [.queued, .queued, .queued, .queued, .held])
    }

    @Test func messagesOlderThanTheWindowDoNotCount() async throws {
        let world = try await ControlsWorld(loopGuard: .value(4))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))

        let first = try await world.pingPong(a, b, count: 4)
        world.clock.advance(seconds: LoopGuard.window)
        let second = try await world.pingPong(a, b, count: 5, tag: "later ")

        #expect(first == [.queued, .queued, .queued, .queued])
        #expect(second == [.queued, .queued, .queued, .queued, .held])
    }

    @Test func releaseQueuesHeldMessagesInOrderPushesThemAndRestartsTheWindow() async throws {
        let world = try await ControlsWorld(loopGuard: .value(2))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.pingPong(a, b, count: 2)
        let drained = try await world.messages.checkMessages(b, limit: 50)
        try await world.messages.acknowledge(b, leaseID: try #require(drained.leaseID))
        let held = [try await world.send(a, "api:b", "first held"), try await world.send(a, "api:b", "second held")]
        let (stream, _) = await world.hub.subscribe(b.session.id)
        let (events, _) = await world.hub.subscribe(workspace: a.workspace.id)

        let (hold, released) = try await world.messages.release(workspace: nil, "api:b", "api:a")

        #expect(released == 2)
        #expect(hold.releasedAt == world.clock.now)
        var pushes = stream.makeAsyncIterator()
        guard case .mail(let hint) = await pushes.next() else {
            Issue.record("expected a mail hint after the release")
            return
        }
        #expect(hint.messageIDs == held.map(\.message.wireID))
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .loopReleased(hold, released: 2))
        let batch = try await world.messages.checkMessages(b, limit: 50)
        #expect(batch.messages.map(\.body) == ["first held", "second held"])
        #expect(try await world.messages.holds(workspace: nil).isEmpty)
        // The window restarted at the release: two more go through at once (the one to the connected api:b is pushed at
        // once, SPEC §7.2), the third is held again.
        #expect(try await world.pingPong(a, b, count: 3, tag: "again ") == [.pushed, .queued, .held])
    }

    @Test func releasingAPairThatIsNotHeldIsRefused() async throws {
        let world = try await ControlsWorld()

        let error = await #expect(throws: DomainError.self) { try await world.messages.release(workspace: nil, "api:a", "api:b") }

        #expect(error?.code == .notFound)
        #expect(error?.message.contains("whatsagent msg holds") == true)
    }

    @Test func offDisablesTheGuard() async throws {
        let world = try await ControlsWorld(loopGuard: .off)
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))

        let states = try await world.pingPong(a, b, count: 30)

        #expect(states.allSatisfy { $0 == .queued })
        #expect(try await world.messages.holds(workspace: nil).isEmpty)
    }

    @Test func aRepeatedClientMessageIdReturnsTheHeldOriginal() async throws {
        let world = try await ControlsWorld(loopGuard: .value(2))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.pingPong(a, b, count: 2)

        let first = try await world.send(a, "api:b", "retry me", clientID: "k1")
        let repeated = try await world.send(a, "api:b", "retry me", clientID: "k1")

        #expect(first.message.state == .held)
        #expect(repeated.duplicate)
        #expect(repeated.message.id == first.message.id)
        #expect(try await world.messages.holds(workspace: nil).first?.messages.count == 1)
    }
}

/// Mute and paused pushes (SPEC §7.5).
@Suite struct MuteAndPushTests {
    func mute(_ world: ControlsWorld, _ address: String, _ on: Bool) async throws {
        _ = try await world.agents.update(workspace: nil, try AgentAddress(parsing: address), AgentPatch(muted: on))
    }

    @Test func aMutedAgentsDirectMessagesAreRefusedAndRecorded() async throws {
        let world = try await ControlsWorld()
        let a = try await world.connect("api:a")
        try await self.mute(world, "api:a", true)

        let error = await #expect(throws: DomainError.self) { try await world.send(a, "api:b", "let me talk") }

        #expect(error?.code == .agentMuted)
        #expect(error?.message.contains("the human muted you") == true)
        #expect(error?.message.contains("wait for the human") == true)
        let stored = try #require(try await world.database().message(id: 1))
        #expect(stored.state == .rejected)
        #expect(stored.rejection?.contains("muted") == true)
        let recipient = try await world.database().agent(try AgentAddress(parsing: "api:b"))
        #expect(try await world.database().waitingMessages(for: recipient.id).isEmpty)
    }

    @Test func aMutedAgentCannotBroadcastButOthersAndTheHumanStillReachIt() async throws {
        let world = try await ControlsWorld()
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        try await self.mute(world, "api:a", true)

        let broadcast = await #expect(throws: DomainError.self) { try await world.messages.broadcast(from: a, body: "hi all") }
        let fromB = try await world.send(b, "api:a", "are you there?")
        let fromHuman = try await world.messages.send(workspace: nil, from: .human, to: "api:a", body: "quiet", clientMessageID: nil)

        #expect(broadcast?.code == .agentMuted)
        #expect(fromB.message.state == .queued)
        #expect(fromHuman.message.state == .queued)
        #expect(try await world.messages.checkMessages(a, limit: 50).messages.count == 2, "a muted agent still reads its mail")
    }

    @Test func aMutedAgentCannotPostOrReplyInChannels() async throws {
        let world = try await ControlsWorld(topology: .channel)
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        let root = try await world.channels.post(workspace: nil, from: .agent(b), channel: "shared", body: "thread")
        try await self.mute(world, "api:a", true)

        let post = await #expect(throws: DomainError.self) {
            try await world.channels.post(workspace: nil, from: .agent(a), channel: "shared", body: "me too")
        }
        let reply = await #expect(throws: DomainError.self) {
            try await world.channels.reply(workspace: nil, from: .agent(a), to: root.wireID, body: "me too")
        }

        #expect(post?.code == .agentMuted)
        #expect(reply?.code == .agentMuted)
    }

    @Test func unmutingLetsTheAgentSendAgain() async throws {
        let world = try await ControlsWorld()
        let a = try await world.connect("api:a")
        try await self.mute(world, "api:a", true)
        await #expect(throws: DomainError.self) { try await world.send(a, "api:b", "first") }

        try await self.mute(world, "api:a", false)

        #expect(try await world.send(a, "api:b", "second").message.state == .queued)
    }

    @Test func pausedPushesStillQueueAndCheckMessagesReturnsTheMail() async throws {
        let world = try await ControlsWorld()
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.agents.update(workspace: nil, try AgentAddress(parsing: "api:b"), AgentPatch(pushEnabled: false))
        let (stream, _) = await world.hub.subscribe(b.session.id)

        let outcome = try await world.send(a, "api:b", "no nudge please")
        await world.hub.publish(.toolsChanged, to: b.session.id)

        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .toolsChanged, "no mail hint while pushes are paused")
        #expect(outcome.message.state == .queued)
        let peers = try await world.sessions.peers(of: a)
        let peerB = try #require(peers.first { $0.agent.address.description == "api:b" })
        #expect(peerB.online && !peerB.canReceivePush)
        #expect(try await world.messages.checkMessages(b, limit: 50).messages.map(\.body) == ["no nudge please"])
    }

    @Test func turningPushesBackOnPushesWhatWaits() async throws {
        let world = try await ControlsWorld()
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        let address = try AgentAddress(parsing: "api:b")
        _ = try await world.agents.update(workspace: nil, address, AgentPatch(pushEnabled: false))
        let sent = try await world.send(a, "api:b", "waiting")
        let (stream, _) = await world.hub.subscribe(b.session.id)

        _ = try await world.agents.update(workspace: nil, address, AgentPatch(pushEnabled: true))
        try await world.messages.pushWaiting(workspace: nil, agent: address)

        var iterator = stream.makeAsyncIterator()
        guard case .mail(let hint) = await iterator.next() else {
            Issue.record("expected a mail hint once pushes are back on")
            return
        }
        #expect(hint.messageIDs == [sent.message.wireID])
    }
}
