import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Channels: topology, membership, threads, and read cursors that move only on acknowledgement.
@Suite struct ChannelTests {
    struct World {
        let home: TemporaryHome
        let sessions: SessionService
        let messages: MessageService
        let channels: ChannelService
        let hub: EventHub
    }

    func makeWorld(topology: Topology = .channel) async throws -> World {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: topology))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        for name in ["main", "dev", "qa"] {
            _ = try await AgentService(workspaces: workspaces).add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)")))
        }
        let hub = EventHub()
        let messages = MessageService(workspaces: workspaces, hub: hub)
        return World(
            home: home,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/wa"),
            messages: messages,
            channels: ChannelService(workspaces: workspaces, messages: messages),
            hub: hub
        )
    }

    func identity(_ world: World, _ address: String) async throws -> AgentIdentity {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await world.sessions.authenticate(grant.token.rawValue)
    }

    @Test func sharedPostsReachEveryoneOnceAcknowledged() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")

        let post = try await world.channels.post(workspace: nil, from: .agent(main), channel: "#shared", body: "standup in 5")
        let first = try await world.messages.checkMessages(dev, limit: 10)
        let again = try await world.messages.checkMessages(dev, limit: 10)

        #expect(first.posts.map(\.id) == [post.id])
        #expect(first.envelope.text.contains("standup in 5") && first.envelope.text.contains("to: #shared"))
        #expect(again.posts.map(\.id) == [post.id], "not acknowledged yet: returned again")
        try await world.messages.acknowledge(dev, leaseID: try #require(again.leaseID))
        #expect(try await world.messages.checkMessages(dev, limit: 10).posts.isEmpty)
        #expect(try await world.messages.checkMessages(main, limit: 10).posts.isEmpty, "own posts are not unread")
        // A repeat of its own acknowledgement is fine (a reconnect retry); another agent's or a made-up lease is not.
        #expect(try await world.messages.acknowledge(dev, leaseID: try #require(again.leaseID)) == 0)
        await #expect(throws: DomainError.self) { try await world.messages.acknowledge(main, leaseID: try #require(again.leaseID)) }
        await #expect(throws: DomainError.self) { try await world.messages.acknowledge(dev, leaseID: "made-up") }
    }

    @Test func createdChannelsNeedMembershipAndThreadsKeepTheirRoot() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        let qa = try await self.identity(world, "api:qa")
        _ = try await world.channels.create(main, name: "backend")
        _ = try await world.channels.join(dev, name: "#backend")

        let root = try await world.channels.post(workspace: nil, from: .agent(main), channel: "backend", body: "schema v2?")
        let reply = try await world.channels.reply(workspace: nil, from: .agent(dev), to: root.wireID, body: "yes")
        let nested = try await world.channels.reply(workspace: nil, from: .agent(main), to: reply.wireID, body: "merging")

        #expect(reply.rootID == root.id && nested.rootID == root.id)
        #expect(reply.threadID == root.threadID)
        let outsider = await #expect(throws: DomainError.self) {
            try await world.channels.post(workspace: nil, from: .agent(qa), channel: "backend", body: "hi")
        }
        #expect(outsider?.message.contains("join_channel") == true)
        #expect(try await world.messages.checkMessages(qa, limit: 10).posts.isEmpty)
        let page = try await world.channels.read(workspace: nil, as: .agent(dev), channel: "backend", sinceID: nil, beforeID: nil, limit: 2)
        #expect(page.map(\.body) == ["yes", "merging"])
    }

    @Test func joiningLaterDoesNotFloodOldPostsButLeavingStopsNewOnes() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        _ = try await world.channels.create(main, name: "ops")
        _ = try await world.channels.post(workspace: nil, from: .agent(main), channel: "ops", body: "old news")

        _ = try await world.channels.join(dev, name: "ops")
        #expect(try await world.messages.checkMessages(dev, limit: 10).posts.isEmpty)
        _ = try await world.channels.post(workspace: nil, from: .agent(main), channel: "ops", body: "fresh")
        #expect(try await world.messages.checkMessages(dev, limit: 10).posts.map(\.body) == ["fresh"])

        _ = try await world.channels.leave(dev, name: "ops")
        await #expect(throws: DomainError.self) { try await world.channels.leave(dev, name: "shared") }
    }

    @Test func postsNeedTheChannelTopologyAndDirectMessagesAreOffThere() async throws {
        let star = try await self.makeWorld(topology: .star)
        let main = try await self.identity(star, "api:main")
        let refusal = await #expect(throws: DomainError.self) {
            try await star.channels.post(workspace: nil, from: .agent(main), channel: nil, body: "x")
        }
        #expect(refusal?.code == .topologyRefused)

        let channel = try await self.makeWorld()
        let dev = try await self.identity(channel, "api:dev")
        let direct = await #expect(throws: DomainError.self) {
            try await channel.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "x", clientMessageID: nil)
        }
        #expect(direct?.message.contains("post_channel_message") == true)
    }

    @Test func aConnectedMemberGetsAChannelHint() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(dev.session.id)
        var events = stream.makeAsyncIterator()

        let post = try await world.channels.post(workspace: nil, from: .human, channel: nil, body: "all hands")
        _ = main

        guard case .mail(let hint) = await events.next() else {
            Issue.record("expected a mail hint")
            return
        }
        #expect(hint.messageIDs == [post.wireID])
        #expect(hint.kinds == ["channel"])
        #expect(hint.from == "human-web")
    }

    @Test(arguments: ["", "#", "has space", "a:b"])
    func badChannelNamesAreRefused(name: String) async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")

        if name.isEmpty {
            #expect(try Channel.normalize(name) == "shared")
        } else {
            await #expect(throws: DomainError.self) { try await world.channels.create(main, name: name) }
        }
    }
}
