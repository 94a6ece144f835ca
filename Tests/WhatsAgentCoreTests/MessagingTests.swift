import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Sessions, tokens, sending, offline queueing, push hints, leases and idempotency.
@Suite struct MessagingTests {
    struct World {
        let home: TemporaryHome
        let workspaces: WorkspaceService
        let hub: EventHub
        let sessions: SessionService
        let messages: MessageService
    }

    func makeWorld(topology: Topology = .star) async throws -> World {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: topology))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        for (name, main) in [("main", true), ("dev", false), ("qa", false)] {
            _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: main))
        }
        let hub = EventHub()
        return World(
            home: home,
            workspaces: workspaces,
            hub: hub,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent"),
            messages: MessageService(workspaces: workspaces, hub: hub)
        )
    }

    func connect(_ world: World, _ address: String) async throws -> (AgentIdentity, SessionGrant) {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return (try await world.sessions.authenticate(grant.token.rawValue), grant)
    }

    @Test func connectIssuesATokenStoredOnlyAsAHashAndWritesTheConfig() async throws {
        let world = try await self.makeWorld()

        let (identity, grant) = try await self.connect(world, "api:dev")

        #expect(identity.agent.address.description == "api:dev")
        #expect(grant.environment["WHATSAGENT_SESSION_TOKEN"] == grant.token.rawValue)
        #expect(grant.environment["WHATSAGENT_AGENT"] == "api:dev")
        let path = try #require(grant.mcpConfigPath)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let database = try Data(contentsOf: URL(fileURLWithPath: world.home.layout.workspaceDatabase(grant.workspace.id)))
        #expect(database.range(of: Data(grant.token.rawValue.utf8)) == nil)
        let config = try #require(try JSONSerialization.jsonObject(with: grant.mcpConfig) as? [String: Any])
        let server = try #require((config["mcpServers"] as? [String: Any])?["whatsagent"] as? [String: Any])
        #expect(server["command"] as? String == "/bin/whatsagent")
        #expect(server["args"] as? [String] == ["mcp"])
    }

    @Test func oneLiveSessionPerAgentUnlessReplaced() async throws {
        let world = try await self.makeWorld()
        let (_, first) = try await self.connect(world, "api:dev")

        let refusal = await #expect(throws: DomainError.self) {
            try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: false)
        }
        #expect(refusal?.code == .sessionExists)
        #expect(refusal?.message.contains("--replace") == true)

        let second = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: true)

        await #expect(throws: DomainError.self) { try await world.sessions.authenticate(first.token.rawValue) }
        #expect(try await world.sessions.authenticate(second.token.rawValue).session.id == second.session.id)
        #expect(!FileManager.default.fileExists(atPath: first.mcpConfigPath ?? ""))
    }

    @Test(arguments: ["", "nonsense", "wa1_000000000000_" + String(repeating: "a", count: 43)])
    func forgedTokensAreRefused(token: String) async throws {
        let world = try await self.makeWorld()

        let error = await #expect(throws: DomainError.self) { try await world.sessions.authenticate(token) }

        #expect(error?.code == .invalidSessionToken)
    }

    @Test func disconnectKillsTheTokenAndEndsTheStream() async throws {
        let world = try await self.makeWorld()
        let (identity, grant) = try await self.connect(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(identity.session.id)

        _ = try await world.sessions.disconnect(workspace: nil, try AgentAddress(parsing: "api:dev"))

        var events: [SessionEvent] = []
        for await event in stream { events.append(event) }
        #expect(events == [.sessionEnded(reason: "disconnected by the human")])
        await #expect(throws: DomainError.self) { try await world.sessions.authenticate(grant.token.rawValue) }
    }

    @Test func mailToAnOfflineAgentIsQueuedAndPushedWhenItConnects() async throws {
        let world = try await self.makeWorld()
        let (main, _) = try await self.connect(world, "api:main")

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "spec?", clientMessageID: nil)
        #expect(!outcome.recipientOnline)
        #expect(outcome.message.state == .queued)

        let (dev, _) = try await self.connect(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(dev.session.id)
        try await world.messages.pushWaiting(to: dev)
        var iterator = stream.makeAsyncIterator()
        let event = await iterator.next()

        #expect(
            event
                == .mail(
                    MailHint(
                        count: 1,
                        messageIDs: [outcome.message.wireID],
                        kinds: ["direct"],
                        from: "api:main",
                        threadID: outcome.message.threadID,
                        kind: "direct",
                        cursor: outcome.message.wireID
                    )
                )
        )
        let batch = try await world.messages.checkMessages(dev, limit: 10)
        #expect(batch.messages.map(\.body) == ["spec?"])
        #expect(batch.envelope.text.contains("spec?"))
    }

    @Test func aConnectedAgentGetsAHintAtOnceAndAckMarksAcknowledged() async throws {
        let world = try await self.makeWorld()
        let (main, _) = try await self.connect(world, "api:main")
        let (dev, _) = try await self.connect(world, "api:dev")
        let (stream, _) = await world.hub.subscribe(dev.session.id)
        var iterator = stream.makeAsyncIterator()

        let outcome = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "go", clientMessageID: nil)
        let event = await iterator.next()

        #expect(outcome.recipientOnline)
        guard case .mail(let hint) = event else {
            Issue.record("expected a mail hint, got \(String(describing: event))")
            return
        }
        #expect(hint.count == 1)
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        #expect(try await database.message(id: outcome.message.id)?.state == .pushed)

        let batch = try await world.messages.checkMessages(dev, limit: 10)
        let leaseID = try #require(batch.leaseID)
        #expect(try await world.messages.acknowledge(dev, leaseID: leaseID) == 1)
        #expect(try await database.message(id: outcome.message.id)?.state == .acknowledged)
        #expect(try await world.messages.checkMessages(dev, limit: 10).messages.isEmpty)
    }

    @Test func anUnacknowledgedLeaseIsRedeliveredWithTheSameId() async throws {
        let world = try await self.makeWorld()
        let (main, _) = try await self.connect(world, "api:main")
        let (dev, _) = try await self.connect(world, "api:dev")
        let sent = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "x", clientMessageID: nil)

        let first = try await world.messages.checkMessages(dev, limit: 10)
        let second = try await world.messages.checkMessages(dev, limit: 10)

        #expect(first.messages.map(\.id) == [sent.message.id])
        #expect(second.messages.map(\.id) == [sent.message.id])
        #expect(second.envelope.text.contains("(redelivered)"))
        #expect(!first.envelope.text.contains("(redelivered)"))
    }

    @Test func sendsAreIdempotentPerClientMessageId() async throws {
        let world = try await self.makeWorld()
        let (main, _) = try await self.connect(world, "api:main")

        let first = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "a", clientMessageID: "c1")
        let repeated = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "a", clientMessageID: "c1")
        let conflict = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "b", clientMessageID: "c1")
        }

        #expect(repeated.duplicate && repeated.message.id == first.message.id)
        #expect(conflict?.code == .idempotencyConflict)
        let (dev, _) = try await self.connect(world, "api:dev")
        #expect(try await world.messages.checkMessages(dev, limit: 10).messages.count == 1)
    }

    @Test func topologyRefusalsAreRecordedAsRejected() async throws {
        let world = try await self.makeWorld()
        let (dev, _) = try await self.connect(world, "api:dev")

        let error = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "hi", clientMessageID: nil)
        }

        #expect(error?.code == .topologyRefused)
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        let (qa, _) = try await self.connect(world, "api:qa")
        #expect(try await world.messages.checkMessages(qa, limit: 10).messages.isEmpty)
        #expect(try await database.message(id: 1)?.state == .rejected)
    }

    @Test(arguments: [("", "empty"), ("   \n", "empty"), (String(repeating: "x", count: 32_001), "at most 32000")])
    func badBodiesAreRefused(body: String, expected: String) async throws {
        let world = try await self.makeWorld()

        let error = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .human, to: "api:dev", body: body, clientMessageID: nil)
        }

        #expect(error?.message.contains(expected) == true)
    }

    @Test(arguments: ["api:ghost", "ghost", "web:dev"])
    func unknownRecipientsAreRefused(recipient: String) async throws {
        let world = try await self.makeWorld()

        await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .human, to: recipient, body: "hi", clientMessageID: nil)
        }
    }

    @Test func peersShowPresenceAndSummaries() async throws {
        let world = try await self.makeWorld()
        let (main, _) = try await self.connect(world, "api:main")
        let (dev, _) = try await self.connect(world, "api:dev")
        _ = await world.hub.subscribe(dev.session.id)
        _ = try await world.sessions.setSummary(dev, "writing the \u{1B}[31mAPI")

        let peers = try await world.sessions.peers(of: main)

        #expect(peers.map(\.agent.name) == ["dev", "qa"])
        #expect(peers.map(\.online) == [true, false])
        #expect(peers.first?.session?.summary == "writing the API")
    }
}

@Suite struct RateLimitTests {
    @Test func sendsBeyondTheLimitAreRefusedUntilTheMinutePasses() throws {
        let limiter = RateLimiter()
        let workspace = WorkspaceID(rawValue: "000000000001")
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        for second in 0..<3 {
            try limiter.admit(workspace: workspace, sender: "api:dev", limit: .value(3), now: start.addingTimeInterval(Double(second)))
        }
        let refusal = #expect(throws: DomainError.self) {
            try limiter.admit(workspace: workspace, sender: "api:dev", limit: .value(3), now: start.addingTimeInterval(10))
        }

        #expect(refusal?.code == .rateLimited)
        #expect(refusal?.message.contains("wait 50 s") == true)
        try limiter.admit(workspace: workspace, sender: "api:qa", limit: .value(3), now: start.addingTimeInterval(10))
        try limiter.admit(workspace: workspace, sender: "api:dev", limit: .value(3), now: start.addingTimeInterval(60.5))
        for _ in 0..<1000 { try limiter.admit(workspace: workspace, sender: "api:x", limit: .off, now: start) }
    }

    @Test func theWorkspaceLimitAppliesToAgentsButNotToTheHuman() async throws {
        let world = try await MessagingTests().makeWorld(topology: .p2p)
        _ = try await world.workspaces.update(nil, WorkspacePatch(rateLimit: .value(2)))
        let (dev, _) = try await MessagingTests().connect(world, "api:dev")

        for index in 0..<2 {
            _ = try await world.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "\(index)", clientMessageID: nil)
        }
        let refusal = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "3", clientMessageID: nil)
        }

        #expect(refusal?.code == .rateLimited)
        for index in 0..<5 {
            _ = try await world.messages.send(workspace: nil, from: .human, to: "api:qa", body: "\(index)", clientMessageID: nil)
        }
    }
}
