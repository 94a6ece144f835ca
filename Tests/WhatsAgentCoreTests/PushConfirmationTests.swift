import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// SPEC §7.2 "per agent" (issue 16): each agent's push path, when a push last went out and was confirmed, and a warning
/// when pushes go unconfirmed past `[push] confirm_seconds` — derived once, in the core.
@Suite struct PushConfirmationTests {
    struct World {
        let home: TemporaryHome
        let clock: TestClock
        let workspaces: WorkspaceService
        let sessions: SessionService
        let messages: MessageService
        let agents: AgentService
        let pushes: PushConfirmationService
        let hub: EventHub
    }

    func makeWorld(runtime: Runtime = .claude) async throws -> World {
        let home = try TemporaryHome()
        let clock = TestClock()
        let workspaces = try makeFileService(home: home, clock: clock)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:main"), isMain: true))
        _ = try await agents.add(
            workspace: nil,
            AgentDraft(address: try AgentAddress(parsing: "api:dev"), runtime: runtime, command: runtime == .custom ? "/bin/sh" : nil)
        )
        let hub = EventHub()
        return World(
            home: home,
            clock: clock,
            workspaces: workspaces,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent", now: { clock.now }),
            messages: MessageService(workspaces: workspaces, hub: hub, now: { clock.now }),
            agents: agents,
            pushes: PushConfirmationService(workspaces: workspaces, confirmWithin: .seconds(30), now: { clock.now }),
            hub: hub
        )
    }

    func connect(_ world: World, _ address: String) async throws -> AgentIdentity {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await world.sessions.authenticate(grant.token.rawValue)
    }

    func status(_ world: World, _ address: String = "api:dev") async throws -> AgentPushStatus {
        let agent = try await world.agents.show(workspace: nil, try AgentAddress(parsing: address))
        let latest = try await world.sessions.latestSessions(workspace: nil, withTail: false)
        return try #require(try await world.pushes.statuses(workspace: nil, agents: [agent], sessions: latest)[agent.id])
    }

    // MARK: Tests

    @Test(arguments: [
        (Runtime.claude, true, true, MessagePushPath.channel), (.opencode, true, true, .plugin), (.pi, true, true, .extension),
        (.codex, true, true, .typed), (.custom, true, false, .none), (.claude, false, true, .none),
    ])
    func eachRuntimeHasItsPath(runtime: Runtime, push: Bool, nudge: Bool, path: MessagePushPath) async throws {
        let world = try await self.makeWorld(runtime: runtime)
        let address = try AgentAddress(parsing: "api:dev")
        _ = try await world.agents.update(workspace: nil, address, AgentPatch(pushEnabled: push, nudgeEnabled: nudge))

        #expect(try await self.status(world).path == path)
    }

    @Test func aPushUnconfirmedPastTheConfiguredTimeWarnsAndCheckMessagesConfirmsIt() async throws {
        let world = try await self.makeWorld()
        let dev = try await self.connect(world, "api:dev")
        let pushedAt = world.clock.now

        try await world.pushes.pushedOnStream(dev)
        world.clock.advance(seconds: 29)
        let early = try await self.status(world)
        world.clock.advance(seconds: 2)
        let late = try await self.status(world)
        let confirmed = try await world.pushes.confirmPush(workspace: dev.workspace.id, session: dev.session.id)
        let after = try await self.status(world)

        #expect(early.lastPushAt == pushedAt && early.lastPushPath == .channel && early.warning == nil, "within the 30 s: no warning yet")
        let warning = try #require(late.warning)
        #expect(warning.contains("unconfirmed") && warning.contains("check_messages") && warning.contains("DISABLE_TELEMETRY"))
        #expect(confirmed)
        #expect(after.warning == nil && after.lastConfirmedAt == world.clock.now && after.lastConfirmedPath == .channel)
    }

    @Test func aConfirmationWithNoPushWaitingRecordsNothing() async throws {
        let world = try await self.makeWorld()
        let dev = try await self.connect(world, "api:dev")

        let confirmed = try await world.pushes.confirmPush(workspace: dev.workspace.id, session: dev.session.id)

        #expect(!confirmed)
        #expect(try await self.status(world).lastConfirmedAt == nil)
    }

    @Test func aSubscribedClientIsPushedByTheResourceAndAReadConfirms() async throws {
        let world = try await self.makeWorld(runtime: .custom)
        let dev = try await self.connect(world, "api:dev")
        let main = try await self.connect(world, "api:main")
        _ = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "secret body", clientMessageID: nil)

        try await world.pushes.setInboxSubscribed(dev, true)
        try await world.pushes.pushedOnStream(dev)
        world.clock.advance(seconds: 1)
        let inbox = try await world.pushes.inbox(dev)
        let status = try await self.status(world)

        #expect(status.path == .resource && status.lastPushPath == .resource)
        #expect(status.lastConfirmedPath == .resource && status.lastConfirmedAt == world.clock.now)
        #expect(inbox.count == 1 && inbox.newestMessageIDs.count == 1 && inbox.kinds == ["direct"])
        #expect(inbox.hint == "1 WhatsAgent message waiting — call check_messages")
        let check = try await world.messages.checkMessages(dev, limit: 10)
        #expect(check.messages.map(\.body) == ["secret body"], "reading the inbox leased nothing: check_messages still returns the body")
    }

    @Test func aMessageToASubscribedClientIsMarkedPushedByTheResource() async throws {
        let world = try await self.makeWorld(runtime: .custom)
        let dev = try await self.connect(world, "api:dev")
        let main = try await self.connect(world, "api:main")
        _ = await world.hub.subscribe(dev.session.id)
        let before = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "one", clientMessageID: nil)

        try await world.pushes.setInboxSubscribed(dev, true)
        let after = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "two", clientMessageID: nil)

        #expect(before.message.pushPath == "typed", "a custom agent's own path")
        #expect(after.message.pushPath == "resource", "the session's path, as agent show names it")
    }

    @Test func aCustomAgentsStreamHintIsNotItsPushUntilItSubscribes() async throws {
        let world = try await self.makeWorld(runtime: .custom)
        let dev = try await self.connect(world, "api:dev")

        try await world.pushes.pushedOnStream(dev)

        #expect(try await self.status(world).lastPushAt == nil, "custom agents are pushed by a typed nudge, recorded where it is typed")
    }

    @Test func theTypedFallbackWarnsAndEndsWhenALaterChannelPushIsConfirmed() async throws {
        let world = try await self.makeWorld()
        let dev = try await self.connect(world, "api:dev")
        let (workspace, session) = (dev.workspace.id, dev.session.id)

        try await world.pushes.usePath(.typed, reason: "the channel push was not confirmed within 30 s", workspace: workspace, session: session)
        let fallen = try await self.status(world)
        // A push answered after the typed nudge: the nudge did it, the fallback stays.
        try await world.pushes.pushedOnStream(dev)
        try await world.pushes.pushed(workspace: workspace, session: session, path: .typed)
        try await world.pushes.confirmPush(workspace: workspace, session: session)
        let stillTyped = try await self.status(world)
        // A push answered before any nudge was typed: the channel reached the model.
        try await world.pushes.pushedOnStream(dev)
        try await world.pushes.confirmPush(workspace: workspace, session: session)
        let back = try await self.status(world)

        #expect(fallen.path == .typed && fallen.reason == "the channel push was not confirmed within 30 s")
        #expect(fallen.warning?.contains("types nudges instead") == true)
        #expect(stillTyped.path == .typed && stillTyped.lastConfirmedPath == .typed)
        #expect(back.path == .channel && back.reason == nil && back.warning == nil && back.lastConfirmedPath == .channel)
    }

    @Test func aCodexWithoutItsAppServerIsWarnedInItsOwnWords() async throws {
        let world = try await self.makeWorld(runtime: .codex)
        let dev = try await self.connect(world, "api:dev")

        try await world.pushes.usePath(.typed, reason: "Codex's app-server did not start", workspace: dev.workspace.id, session: dev.session.id)
        let status = try await self.status(world)

        #expect(status.path == .typed && status.reason == "Codex's app-server did not start")
        #expect(status.warning == "its runtime's push is unavailable, so the daemon types nudges instead: Codex's app-server did not start")
    }

    @Test func anEndedSessionKeepsItsTimesButWarnsNoMore() async throws {
        let world = try await self.makeWorld()
        let dev = try await self.connect(world, "api:dev")
        try await world.pushes.pushedOnStream(dev)
        world.clock.advance(seconds: 60)

        _ = try await world.sessions.disconnect(workspace: nil, try AgentAddress(parsing: "api:dev"))
        let status = try await self.status(world)

        #expect(status.lastPushAt != nil && status.warning == nil)
    }
}
