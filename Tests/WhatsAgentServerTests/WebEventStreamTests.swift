import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

/// The daemon's TCP app with WebSocket upgrades, live on port 0, and a logged-in browser session.
struct LiveWebApp: Sendable {
    let services: DaemonServices
    let port: Int
    let cookie: String
    let csrf: String
    let sessionID: String

    var authority: String { "127.0.0.1:\(self.port)" }

    /// The headers a browser on the daemon's page sends with the upgrade.
    func headers(cookie: String? = nil, origin: String? = nil) -> [(String, String)] {
        [
            ("Host", self.authority), ("Origin", origin ?? "http://\(self.authority)"),
            ("Cookie", "\(WebSecurityPolicy.cookieName)=\(cookie ?? self.cookie)"),
        ]
    }

    /// Opens the event stream as the logged-in browser and runs `body` once `hello` arrived.
    func withEvents<T: Sendable>(_ body: @escaping @Sendable (EventStreamSocket.Session) async throws -> T) async throws -> T {
        try await EventStreamSocket.connect(port: self.port, path: "/api/v1/events?csrf=\(self.csrf)", headers: self.headers()) { answer in
            guard case .open(let socket) = answer else {
                if case .refused(let status, let body) = answer { Issue.record("upgrade refused: \(status) \(body)") }
                throw EventStreamSocket.Timeout()
            }
            let hello = try await socket.nextEvent { _ in true }
            #expect(hello["type"] as? String == "hello")
            #expect(hello["version"] as? String == "9.9.9")
            return try await body(socket)
        }
    }
}

func withLiveWebApp(_ body: @escaping @Sendable (LiveWebApp) async throws -> Void) async throws {
    let workspaces = WorkspaceService(storage: .inMemory, registry: try DaemonDatabase.inMemory(), stores: SQLiteStoreFactory(), logger: quietLogger)
    let services = DaemonServices(
        workspaces: workspaces,
        state: DaemonState(startedAt: Date(timeIntervalSince1970: 1_800_000_000), url: "http://127.0.0.1:1"),
        home: HomeLayout(root: "/tmp/wa-test-home"),
        version: "9.9.9",
        executablePath: "/usr/bin/whatsagent",
        passwordHasher: BcryptPasswordHasher(testingCost: 4)
    )
    let bound = BoundPort(0)
    let router = buildWebRouter(services: services, security: WebSecurityPolicy(configuration: DaemonConfiguration(), port: bound))
    let app = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        logger: quietLogger
    )
    try await app.test(.live) { client in
        let port = try #require(client.port)
        bound.set(port)
        let token = try #require(try await services.auth.prepareSetupToken())
        let issued = try await services.auth.setup(token: token, password: "correct horse", userAgent: "test").issued
        try await body(
            LiveWebApp(services: services, port: port, cookie: issued.token, csrf: issued.csrfToken, sessionID: issued.session.id)
        )
    }
}

/// A p2p workspace `w` with repo `api` and agents `api:one` (main) and `api:two`; returns the workspace id.
func seedWorkspace(_ services: DaemonServices) async throws -> String {
    let workspace = try await services.workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
    _ = try await services.repos.add(workspace: "w", path: FileManager.default.temporaryDirectory.path, name: "api")
    _ = try await services.agents.add(workspace: "w", AgentDraft(address: try AgentAddress(parsing: "api:one"), isMain: true))
    _ = try await services.agents.add(workspace: "w", AgentDraft(address: try AgentAddress(parsing: "api:two")))
    return workspace.id.rawValue
}

@Suite struct WebEventStreamTests {
    @Test func theUpgradeNeedsTheLoginTheCSRFTokenAndTheOwnOrigin() async throws {
        // Through the router (what decides): each refusal with its reason.
        try await withStaticWeb(nil) { browser, services in
            let upgrade: HTTPFields = [.upgrade: "websocket", .connection: "Upgrade"]
            let anonymous = try await browser.send(.get, "/api/v1/events?csrf=x", headers: upgrade)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode == "authentication_required")

            let token = try #require(try await services.auth.prepareSetupToken())
            try await browser.setUp(token: token)
            let csrf = try #require(browser.csrf)
            let missing = try await browser.send(.get, "/api/v1/events", headers: upgrade)
            let wrong = try await browser.send(.get, "/api/v1/events?csrf=wrong", headers: upgrade)
            browser.origin = "http://evil.example"
            let foreign = try await browser.send(.get, "/api/v1/events?csrf=\(csrf)", headers: upgrade)
            browser.origin = nil
            let noOrigin = try await browser.send(.get, "/api/v1/events?csrf=\(csrf)", headers: upgrade)
            browser.origin = "http://127.0.0.1:4017"
            let accepted = try await browser.send(.get, "/api/v1/events?csrf=\(csrf)", headers: upgrade)

            #expect([missing.errorCode, wrong.errorCode] == ["csrf_token_invalid", "csrf_token_invalid"])
            #expect([foreign.errorCode, noOrigin.errorCode] == ["origin_not_allowed", "origin_not_allowed"])
            #expect([missing.status, wrong.status, foreign.status, noOrigin.status].allSatisfy { $0 == .forbidden })
            #expect(accepted.status == .ok, "the route accepts the upgrade")
        }
        // Over a real connection: no refused upgrade ever switches protocols (hummingbird-websocket answers a bare
        // 400), and the right one does.
        try await withLiveWebApp { app in
            let path = "/api/v1/events?csrf=\(app.csrf)"
            let refused: [(String, [(String, String)])] = [
                (path, [("Host", app.authority), ("Origin", "http://\(app.authority)")]),
                (path, app.headers(cookie: "forged")),
                ("/api/v1/events", app.headers()),
                ("/api/v1/events?csrf=wrong", app.headers()),
                (path, app.headers(origin: "http://evil.example")),
                (path, app.headers().filter { $0.0 != "Origin" }),
            ]
            for (path, headers) in refused {
                let status = try await EventStreamSocket.connect(port: app.port, path: path, headers: headers) { answer -> Int in
                    guard case .refused(let status, _) = answer else { return 101 }
                    return status
                }
                #expect(status == 400, "\(headers) \(path)")
            }
            try await app.withEvents { _ in }
        }
    }

    @Test func aPlainGetIsTold426() async throws {
        try await withStaticWeb(nil) { browser, services in
            let token = try #require(try await services.auth.prepareSetupToken())
            try await browser.setUp(token: token)
            let reply = try await browser.send(.get, "/api/v1/events?csrf=\(browser.csrf ?? "")")
            #expect(reply.status == .upgradeRequired)
            #expect(String(decoding: reply.body, as: UTF8.self).contains("WebSocket"))
        }
    }

    @Test func directMessagesFromTheHumanAndFromAnAgentArrive() async throws {
        try await withLiveWebApp { app in
            let workspace = try await seedWorkspace(app.services)
            try await app.withEvents { socket in
                let sent = try await app.services.messages.send(
                    workspace: "w",
                    from: .human,
                    to: "api:two",
                    body: "hello",
                    clientMessageID: nil
                )
                let human = try await socket.nextEvent { $0["type"] as? String == "message" }
                #expect(human["workspaceId"] as? String == workspace)
                #expect(human["messageId"] as? String == sent.message.wireID)
                #expect(human["from"] as? String == "human-web")
                #expect(human["to"] as? String == "api:two")
                #expect(human["kind"] as? String == "direct")
                #expect(human["channel"] is NSNull)
                #expect(human["threadId"] as? String == sent.message.threadID)

                let grant = try await app.services.sessions.connect(workspace: "w", try AgentAddress(parsing: "api:two"), replace: false)
                let identity = try await app.services.sessions.authenticate(grant.token.rawValue)
                let connected = try await socket.nextEvent { $0["type"] as? String == "agents" }
                #expect(connected["workspaceId"] as? String == workspace)
                let reply = try await app.services.messages.send(
                    workspace: nil,
                    from: .agent(identity),
                    to: "human-web",
                    body: "hi back",
                    clientMessageID: nil
                )
                let agent = try await socket.nextEvent { $0["type"] as? String == "message" }
                #expect(agent["messageId"] as? String == reply.message.wireID)
                #expect(agent["from"] as? String == "api:two")
                #expect(agent["to"] as? String == "human-web")
            }
        }
    }

    @Test func boardTasksAndAgentChangesArrive() async throws {
        try await withLiveWebApp { app in
            let workspace = try await seedWorkspace(app.services)
            try await app.withEvents { socket in
                let created = try await app.services.board.create(
                    BoardTask.self,
                    TaskDraft(title: "ship it", assignedTo: "api:two"),
                    by: .human,
                    workspace: "w"
                )
                let board = try await socket.nextEvent { $0["type"] as? String == "board" }
                #expect(board["workspaceId"] as? String == workspace)
                #expect(board["itemId"] as? String == created.item.displayID)
                #expect(board["kind"] as? String == "task")
                // The assignee hears of it in its inbox; the page sees that message too.
                let notice = try await socket.nextEvent { $0["type"] as? String == "message" }
                #expect(notice["kind"] as? String == "kanban")
                #expect(notice["from"] as? String == "whatsagent")
                #expect(notice["to"] as? String == "api:two")
                #expect(notice["threadId"] as? String == "kanban:\(created.item.displayID)")
                #expect((notice["messageId"] as? String).flatMap(Int.init) != nil)

                _ = try await app.services.agents.add(workspace: "w", AgentDraft(address: try AgentAddress(parsing: "api:three")))
                let agents = try await socket.nextEvent { $0["type"] as? String == "agents" }
                #expect(agents["workspaceId"] as? String == workspace)

                _ = try await app.services.workspaces.update("w", WorkspacePatch(name: "renamed"))
                let workspaces = try await socket.nextEvent { $0["type"] as? String == "workspaces" }
                #expect(workspaces["type"] as? String == "workspaces")
            }
        }
    }

    @Test func theStreamClosesWith4401WhenTheLoginSessionEnds() async throws {
        try await withLiveWebApp { app in
            try await app.withEvents { socket in
                try await app.services.auth.revoke(id: app.sessionID)
                var frame = try await socket.next()
                while case .text = frame { frame = try await socket.next() }
                #expect(frame == .close(code: 4401))
            }
        }
    }

    @Test func shutdownClosesTheStreamWith1001() async throws {
        try await withLiveWebApp { app in
            try await app.withEvents { socket in
                await app.services.hub.closeAll()
                var frame = try await socket.next()
                while case .text = frame { frame = try await socket.next() }
                #expect(frame == .close(code: 1001))
            }
            #expect(app.services.workspaces.events.feedCount == 0)
        }
    }

    @Test func aTabThatFallsBehindGetsResyncThenTheNewestEvents() async throws {
        try await withLiveWebApp { app in
            let workspace = WorkspaceID(rawValue: try await seedWorkspace(app.services))
            try await app.withEvents { socket in
                // Far more than the socket buffers and the feed hold while nobody reads.
                let bus = app.services.workspaces.events
                for index in 0..<40_000 { bus.publish(.board(itemID: "WA-\(index)", kind: .task), workspace: workspace) }
                bus.publish(.board(itemID: "LAST", kind: .epic), workspace: workspace)
                var seen = 0
                var resyncs = 0
                var afterResync = false
                while true {
                    let event = try await socket.nextEvent(within: 30) { _ in true }
                    seen += 1
                    if event["type"] as? String == "resync" {
                        resyncs += 1
                        afterResync = true
                        #expect(event["workspaceId"] == nil)
                    }
                    if event["itemId"] as? String == "LAST" { break }
                }
                #expect(resyncs >= 1)
                #expect(afterResync)
                #expect(seen < 40_000, "events were dropped, not all kept in memory")
            }
        }
    }
}
