import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

/// Peer rules, loop-guard holds, mute and retention over the socket API and the agent protocol.
@Suite struct MessagingControlsAPITests {
    /// A p2p workspace `w` with api:main (main), api:a and api:b, all connected; returns their tokens by name.
    func setUp(_ client: any TestClientProtocol, loopGuard: LimitValue = .value(40)) async throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.path
        _ = try await client.send(
            .post,
            "/api/v1/workspaces",
            body: CreateWorkspaceRequest(name: "w", topology: .p2p, rateLimit: .off, loopGuard: loopGuard)
        )
        _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
        var tokens: [String: String] = [:]
        for name in ["main", "a", "b"] {
            _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:\(name)", main: name == "main"))
            let (_, body) = try await client.send(.post, "/api/v1/workspaces/w/agents/api:\(name)/connect", body: ConnectAgentRequest(replace: false))
            tokens[name] = try decode(AgentConnection.self, body).token
        }
        return tokens
    }

    func send(_ client: any TestClientProtocol, _ token: String?, to: String, _ body: String) async throws -> AgentToolResult {
        let arguments = String(decoding: try JSONEncoder().encode(["to": to, "body": body]), as: UTF8.self)
        return try decode(AgentToolResult.self, try await AgentProtocolTests().call(client, token, "send_message", arguments).1)
    }

    func errorCode(_ data: Data) throws -> String {
        try decode(APIErrorBody.self, data).error.code
    }

    @Test func peerRulesAreManagedOverTheAPI() async throws {
        try await withSocketAPI { client, _ in
            _ = try await self.setUp(client)

            let (listed, listBody) = try await client.send(.get, "/api/v1/workspaces/w/peer-rules")
            let (added, addedBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/peer-rules",
                body: AgentPairRequest(agents: ["api:b", "api:a"])
            )
            let (again, againBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/peer-rules",
                body: AgentPairRequest(agents: ["api:a", "api:b"])
            )
            let (one, oneBody) = try await client.send(.post, "/api/v1/workspaces/w/peer-rules", body: AgentPairRequest(agents: ["api:a"]))
            let (mode, modeBody) = try await client.send(.put, "/api/v1/workspaces/w/peer-rules/mode", body: PeerRuleModeRequest(mode: .allowList))

            #expect(listed == .ok)
            #expect(try decode(PeerRuleList.self, listBody) == PeerRuleList(mode: .denyList, active: true, rules: []))
            #expect(added == .created)
            #expect(try decode(PeerRuleResponse.self, addedBody).agents == ["api:a", "api:b"])
            #expect(again == .conflict)
            #expect(try self.errorCode(againBody) == "invalid_state")
            #expect(one == .badRequest)
            #expect(try self.errorCode(oneBody) == "invalid_argument")
            #expect(mode == .ok)
            let afterMode = try decode(PeerRuleList.self, modeBody)
            #expect(afterMode.mode == .allowList && afterMode.rules.map(\.agents) == [["api:a", "api:b"]])

            let (removed, removedBody) = try await client.send(.delete, "/api/v1/workspaces/w/peer-rules/api:b/api:a")
            let (missing, missingBody) = try await client.send(.delete, "/api/v1/workspaces/w/peer-rules/api:a/api:b")

            #expect(removed == .ok)
            #expect(try decode(PeerRuleResponse.self, removedBody).agents == ["api:a", "api:b"])
            #expect(missing == .notFound)
            #expect(try self.errorCode(missingBody) == "not_found")
        }
    }

    @Test func aDenyRuleRefusalIsAToolErrorNamingTheRuleAndTheAlternative() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)
            _ = try await client.send(.post, "/api/v1/workspaces/w/peer-rules", body: AgentPairRequest(agents: ["api:a", "api:b"]))

            let refused = try await self.send(client, tokens["a"], to: "api:b", "psst")
            let viaMain = try await self.send(client, tokens["a"], to: "api:main", "please relay")

            #expect(refused.isError)
            #expect(refused.structured?["error"]?["code"] == .string("topology_refused"))
            #expect(refused.text.contains("peer rule") && refused.text.contains("api:main"))
            #expect(!viaMain.isError)
        }
    }

    @Test func heldMessagesAreASuccessThatSaysStopAndTheHumanReleasesThem() async throws {
        try await withSocketAPI { client, services in
            let tokens = try await self.setUp(client, loopGuard: .value(2))
            _ = try await self.send(client, tokens["a"], to: "api:b", "one")
            _ = try await self.send(client, tokens["b"], to: "api:a", "two")

            let held = try await self.send(client, tokens["a"], to: "api:b", "three")

            #expect(!held.isError, "a held message is stored, not failed")
            #expect(held.structured?["state"] == .string("held"))
            #expect(held.structured?["held"] == .bool(true))
            #expect(held.text.contains("HELD by the loop guard") && held.text.contains("Do not resend"))
            let (_, holdsBody) = try await client.send(.get, "/api/v1/workspaces/w/message-holds")
            let holds = try decode(MessageHoldList.self, holdsBody).holds
            #expect(holds.map(\.agents) == [["api:a", "api:b"]])
            #expect(holds.first?.messages.map(\.state) == ["held"])
            let (_, inboxBody) = try await client.send(.get, "/api/v1/workspaces/w/messages")
            let alert = try decode(MessageList.self, inboxBody).messages.first { $0.from == "whatsagent" }
            #expect(alert?.body.contains("whatsagent msg release api:a api:b") == true)

            let (released, releasedBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/message-holds/release",
                body: AgentPairRequest(agents: ["api:a", "api:b"])
            )
            let (again, againBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/message-holds/release",
                body: AgentPairRequest(agents: ["api:a", "api:b"])
            )

            #expect(released == .ok)
            let result = try decode(ReleaseHoldResult.self, releasedBody)
            #expect(result.released == 1 && result.hold.releasedAt != nil)
            #expect(again == .notFound)
            #expect(try self.errorCode(againBody) == "not_found")
            let (_, emptyBody) = try await client.send(.get, "/api/v1/workspaces/w/message-holds")
            #expect(try decode(MessageHoldList.self, emptyBody).holds.isEmpty)
            let database = try await services.workspaces.sqliteDatabase(for: "w").1
            let bAgent = try await database.agent(try AgentAddress(parsing: "api:b"))
            #expect(try await database.waitingMessages(for: bAgent.id).map(\.body) == ["one", "three"])
        }
    }

    @Test func aMutedAgentGetsAToolErrorAndTheAgentShowsIt() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)

            let (patched, patchedBody) = try await client.send(.patch, "/api/v1/workspaces/w/agents/api:a", body: UpdateAgentRequest(muted: true))
            let refused = try await self.send(client, tokens["a"], to: "api:b", "hello?")

            #expect(patched == .ok)
            #expect(try decode(AgentResponse.self, patchedBody).muted)
            #expect(refused.isError)
            #expect(refused.structured?["error"]?["code"] == .string("agent_muted"))
            #expect(refused.text.contains("the human muted you"))

            _ = try await client.send(.patch, "/api/v1/workspaces/w/agents/api:a", body: UpdateAgentRequest(muted: false))
            #expect(!(try await self.send(client, tokens["a"], to: "api:b", "back")).isError)
        }
    }

    @Test func changingTheChatRetentionPrunesAtOnce() async throws {
        try await withSocketAPI { client, services in
            _ = try await self.setUp(client)
            let database = try await services.workspaces.sqliteDatabase(for: "w").1
            let old = try await database.insertMessage(Self.message("old", sentAt: Date().addingTimeInterval(-10 * 86_400), state: .acknowledged))
            let recent = try await database.insertMessage(Self.message("recent", sentAt: Date(), state: .acknowledged))
            let waiting = try await database.insertMessage(Self.message("unread", sentAt: Date().addingTimeInterval(-10 * 86_400), state: .queued))

            let (status, _) = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(chatRetention: .days(5)))

            #expect(status == .ok)
            #expect(try await database.message(id: old.message.id) == nil)
            #expect(try await database.message(id: recent.message.id) != nil)
            #expect(try await database.message(id: waiting.message.id) != nil)
        }
    }

    @Test func theMaintenanceTickPrunesChatAndAuditOnItsClock() async throws {
        let clock = MovingClock()
        let workspaces = WorkspaceService(
            storage: .inMemory,
            registry: try DaemonDatabase.inMemory(),
            stores: SQLiteStoreFactory(),
            now: { clock.now },
            logger: quietLogger
        )
        _ = try await workspaces.create(WorkspaceDraft(name: "w"))
        let database = try await workspaces.sqliteDatabase(for: "w").1
        let message = try await database.insertMessage(Self.message("old news", sentAt: clock.now, state: .acknowledged))
        _ = try await database.appendAudit(AuditEntry(at: clock.now, kind: "grant_check_pass", actorAddress: "api:a", outcome: "allowed"))
        let maintenance = MaintenanceService(
            workspaces: workspaces,
            retention: RetentionService(workspaces: workspaces, auditDays: 60, now: { clock.now }),
            interval: .seconds(3600),
            logger: quietLogger
        )

        await maintenance.tick()
        #expect(try await database.message(id: message.message.id) != nil)

        clock.advance(days: 31)
        await maintenance.tick()
        #expect(try await database.message(id: message.message.id) == nil, "past the default 30-day chat retention")
        #expect(try await database.auditCount(AuditFilter()) == 1)

        clock.advance(days: 30)
        await maintenance.tick()
        #expect(try await database.auditCount(AuditFilter()) == 0, "past 60 audit days")
    }

    static func message(_ body: String, sentAt: Date, state: Message.State) -> Message {
        Message(
            id: 0,
            kind: "direct",
            fromAgentID: nil,
            fromAddress: "human-web",
            toAgentID: nil,
            toAddress: "api:a",
            threadID: Message.directThread("human-web", "api:a"),
            body: body,
            state: state,
            rejection: nil,
            clientMessageID: nil,
            sentAt: sentAt,
            deliveries: 0
        )
    }
}

/// A clock the maintenance test moves by hand.
final class MovingClock: @unchecked Sendable {
    // `@unchecked Sendable`: `current` is guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { self.lock.withLock { self.current } }

    func advance(days: Double) {
        self.lock.withLock { self.current = self.current.addingTimeInterval(days * 86_400) }
    }
}
