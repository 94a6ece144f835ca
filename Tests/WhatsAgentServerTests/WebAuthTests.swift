import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

/// One HTTP exchange of the web tests.
struct WebReply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    var errorCode: String? { try? decode(APIErrorBody.self, self.body).error.code }
}

/// A browser against the in-process TCP router: it sends `Host` and `Origin` like a browser on the daemon's page,
/// and keeps the session cookie and CSRF token.
final class WebBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var host = "127.0.0.1:4017"
    var origin: String? = "http://127.0.0.1:4017"
    var cookie: String?
    var csrf: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        headers extra: HTTPFields = [:],
        csrf: Bool = true
    )
        async throws -> WebReply
    {
        var headers: HTTPFields = [.hostField: self.host]
        if let origin { headers[.origin] = origin }
        if let cookie { headers[.cookie] = "\(WebSecurityPolicy.cookieName)=\(cookie)" }
        if csrf, let token = self.csrf { headers[.xCSRFToken] = token }
        if json != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await self.client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) {
            WebReply(status: $0.status, headers: $0.headers, body: Data(String(buffer: $0.body).utf8))
        }
    }

    /// Keeps the cookie and CSRF token of a login answer.
    func adopt(_ reply: WebReply) throws {
        let setCookie = try #require(reply.headers[.setCookie])
        let value = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        self.cookie = String(value)
        self.csrf = try decode(AuthLoginResult.self, reply.body).csrfToken
    }

    /// First-run setup with `token`; returns the recovery code.
    @discardableResult
    func setUp(token: String, password: String = "correct horse") async throws -> String {
        let reply = try await self.send(.post, "/api/v1/auth/setup", json: #"{"token":"\#(token)","password":"\#(password)"}"#)
        #expect(reply.status == .created)
        try self.adopt(reply)
        return try #require(try decode(AuthLoginResult.self, reply.body).recoveryCode)
    }
}

/// Collects log lines in memory, to prove secrets never reach the log.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { self.lock.withLock { self.lines.joined(separator: "\n") } }

    func append(_ line: String) {
        self.lock.withLock { self.lines.append(line) }
    }

    var logger: Logger {
        Logger(label: "captured") { _ in CapturingLogHandler(log: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.log.append("\(event.level) \(event.message) \(self.metadata.merging(event.metadata ?? [:]) { $1 })")
    }
}

/// Runs `body` against the TCP router in-process, with a fresh setup token and cheap bcrypt.
func withWebAPI(
    configuration: DaemonConfiguration = DaemonConfiguration(),
    logger: Logger = quietLogger,
    _ body: @escaping @Sendable (WebBrowser, DaemonServices, String) async throws -> Void
) async throws {
    let workspaces = WorkspaceService(storage: .inMemory, registry: try DaemonDatabase.inMemory(), stores: SQLiteStoreFactory(), logger: quietLogger)
    let services = DaemonServices(
        workspaces: workspaces,
        state: DaemonState(startedAt: Date(timeIntervalSince1970: 1_800_000_000), url: "http://127.0.0.1:4017"),
        home: HomeLayout(root: "/tmp/wa-test-home"),
        version: "9.9.9",
        executablePath: "/usr/bin/whatsagent",
        passwordHasher: BcryptPasswordHasher(testingCost: 4)
    )
    let token = try #require(try await services.auth.prepareSetupToken())
    let security = WebSecurityPolicy(configuration: configuration, port: BoundPort(4017))
    let app = Application(router: buildWebRouter(services: services, security: security), logger: logger)
    try await app.test(.router) { client in try await body(WebBrowser(client), services, token) }
}

@Suite struct WebAuthTests {
    @Test func setupNeedsTheTokenAndLogsTheBrowserIn() async throws {
        try await withWebAPI { browser, _, token in
            let before = try decode(AuthState.self, try await browser.send(.get, "/api/v1/auth/session").body)
            let wrong = try await browser.send(.post, "/api/v1/auth/setup", json: #"{"token":"guess","password":"correct horse"}"#)
            let login = try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"correct horse"}"#)

            #expect(before == AuthState(authenticated: false, setupRequired: true))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            #expect(login.status == .unauthorized)
            #expect(login.errorCode == "authentication_required")

            let reply = try await browser.send(.post, "/api/v1/auth/setup", json: #"{"token":"\#(token)","password":"correct horse"}"#)
            let cookie = try #require(reply.headers[.setCookie])
            #expect(reply.status == .created)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            #expect(try decode(AuthLoginResult.self, reply.body).recoveryCode?.count == 39)
            try browser.adopt(reply)

            let state = try decode(AuthState.self, try await browser.send(.get, "/api/v1/auth/session").body)
            #expect(state.authenticated && !state.setupRequired)
            #expect(state.csrfToken == browser.csrf)
            let second = try await browser.send(.post, "/api/v1/auth/setup", json: #"{"token":"\#(token)","password":"other pass"}"#)
            #expect(second.status == .conflict)
        }
    }

    @Test func theAPIAndMetricsNeedTheLoginButHealthDoesNot() async throws {
        try await withWebAPI { browser, _, token in
            let health = try await browser.send(.get, "/health")
            let status = try await browser.send(.get, "/api/v1/status")
            let metrics = try await browser.send(.get, "/metrics")
            let openAPI = try await browser.send(.get, "/api/v1/openapi.json")

            #expect(health.status == .ok)
            #expect([status.status, metrics.status, openAPI.status] == [.unauthorized, .unauthorized, .unauthorized])
            #expect(status.errorCode == "authentication_required")
            #expect(status.headers[.contentType]?.hasPrefix("application/json") == true)

            try await browser.setUp(token: token)
            #expect(try await browser.send(.get, "/api/v1/status").status == .ok)
            #expect(try await browser.send(.get, "/metrics").status == .ok)
            #expect(try await browser.send(.get, "/api/v1/openapi.json").status == .ok)
            let forged = WebBrowser(browser.client)
            forged.cookie = "forged-session"
            #expect(try await forged.send(.get, "/api/v1/status").status == .unauthorized)
        }
    }

    @Test func theAgentProtocolIsNeverServedOverTCP() async throws {
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)
            let bearer: HTTPFields = [.authorization: "Bearer wa1_0123456789abcdef_x"]

            let tools = try await browser.send(.get, "/api/v1/agent/tools", headers: bearer)
            let call = try await browser.send(.post, "/api/v1/agent/tools/send_message", json: "{}", headers: bearer)
            let events = try await browser.send(.get, "/api/v1/agent/events", headers: bearer)

            #expect([tools.status, call.status, events.status] == [.notFound, .notFound, .notFound])
        }
    }

    @Test func stateChangingRequestsNeedTheCSRFToken() async throws {
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)
            let workspace = #"{"name":"alpha"}"#

            let missing = try await browser.send(.post, "/api/v1/workspaces", json: workspace, csrf: false)
            let wrong = try await browser.send(.post, "/api/v1/workspaces", json: workspace, headers: [.xCSRFToken: "nope"], csrf: false)
            let logout = try await browser.send(.post, "/api/v1/auth/logout", csrf: false)
            let created = try await browser.send(.post, "/api/v1/workspaces", json: workspace)

            #expect([missing.status, wrong.status, logout.status] == [.forbidden, .forbidden, .forbidden])
            #expect(missing.errorCode == "csrf_token_invalid")
            #expect(created.status == .created)
        }
    }

    @Test func crossOriginStateChangingRequestsAreRefused() async throws {
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)

            browser.origin = "http://evil.example"
            let foreign = try await browser.send(.post, "/api/v1/workspaces", json: #"{"name":"alpha"}"#)
            let login = try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"correct horse"}"#)
            browser.origin = "http://localhost:4017"  // allowed host, but not the one the request was sent to
            let otherHost = try await browser.send(.post, "/api/v1/workspaces", json: #"{"name":"alpha"}"#)
            browser.origin = nil
            let none = try await browser.send(.post, "/api/v1/workspaces", json: #"{"name":"alpha"}"#)
            let read = try await browser.send(.get, "/api/v1/workspaces")

            #expect([foreign.status, login.status, otherHost.status, none.status] == [.forbidden, .forbidden, .forbidden, .forbidden])
            #expect(foreign.errorCode == "origin_not_allowed")
            #expect(read.status == .ok)
        }
    }

    @Test func unknownHostsAreRefusedUnlessAllowed() async throws {
        var configuration = DaemonConfiguration()
        configuration.allowHosts = ["agents.example.com", "https://secure.example.com"]
        try await withWebAPI(configuration: configuration) { browser, _, token in
            for host in ["evil.example:4017", "127.0.0.1:9999", "localhost"] {
                browser.host = host
                let reply = try await browser.send(.get, "/api/v1/auth/session")
                #expect(reply.status == .forbidden, "\(host)")
                #expect(reply.errorCode == "host_not_allowed")
            }
            for host in ["localhost:4017", "[::1]:4017", "agents.example.com"] {
                browser.host = host
                #expect(try await browser.send(.get, "/api/v1/auth/session").status == .ok, "\(host)")
            }
            browser.host = "secure.example.com"
            browser.origin = "https://secure.example.com"
            let reply = try await browser.send(.post, "/api/v1/auth/setup", json: #"{"token":"\#(token)","password":"correct horse"}"#)
            #expect(reply.status == .created)
            #expect(reply.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test func hostCheckModesWarnAndOff() async throws {
        for mode in [DaemonConfiguration.HostCheck.warn, .off] {
            var configuration = DaemonConfiguration()
            configuration.hostCheck = mode
            let log = CapturedLog()
            try await withWebAPI(configuration: configuration, logger: log.logger) { browser, _, _ in
                browser.host = "rebound.example:4017"
                let reply = try await browser.send(.get, "/api/v1/auth/session")
                #expect(reply.status == .ok)
            }
            #expect(log.text.contains("rebound.example") == (mode == .warn))
        }
    }

    @Test func oversizedBodiesGet413WithTheEnvelope() async throws {
        var configuration = DaemonConfiguration()
        configuration.maxRequestBytes = 1024
        try await withWebAPI(configuration: configuration) { browser, _, token in
            let big = #"{"token":"\#(token)","password":"\#(String(repeating: "x", count: 2000))"}"#

            let reply = try await browser.send(.post, "/api/v1/auth/setup", json: big)

            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "body_too_large")
            #expect(try await browser.send(.post, "/api/v1/auth/setup", json: #"{"token":"\#(token)","password":"fits fine"}"#).status == .created)
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withWebAPI { browser, _, _ in
            var replies = [try await browser.send(.get, "/health"), try await browser.send(.get, "/api/v1/status")]
            replies.append(try await browser.send(.get, "/nothing-here"))
            browser.host = "evil.example"
            replies.append(try await browser.send(.get, "/api/v1/status"))

            for reply in replies {
                #expect(reply.headers[.contentSecurityPolicy] == WebSecurityPolicy.contentSecurityPolicy)
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.headers[.referrerPolicy] == "no-referrer")
                #expect(reply.headers[.xFrameOptions] == "DENY")
            }
            #expect(WebSecurityPolicy.contentSecurityPolicy.hasPrefix("default-src 'self'"))
            #expect(!WebSecurityPolicy.contentSecurityPolicy.contains("unsafe-inline"))
        }
    }

    @Test func fiveWrongPasswordsLockTheLoginWithRetryAfter() async throws {
        try await withWebAPI { browser, _, token in
            let recoveryCode = try await browser.setUp(token: token)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"wrong guess"}"#).status)
            }
            let fifth = try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"wrong guess"}"#)
            let right = try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"correct horse"}"#)
            let recovery = try await browser.send(
                .post,
                "/api/v1/auth/recover",
                json: #"{"recoveryCode":"\#(recoveryCode)","newPassword":"another pass"}"#
            )

            #expect(statuses == Array(repeating: .unauthorized, count: 4))
            #expect([fifth.status, right.status, recovery.status] == [.tooManyRequests, .tooManyRequests, .tooManyRequests])
            #expect(right.errorCode == "account_locked")
            #expect(Int(right.headers[.retryAfter] ?? "") ?? 0 > 14 * 60)
            #expect(try decode(APIErrorBody.self, right.body).error.message.contains("locked for another"))
        }
    }

    @Test func sessionsAreListedRevokedAndLoggedOut() async throws {
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)
            let phone = WebBrowser(browser.client)
            try phone.adopt(try await phone.send(.post, "/api/v1/auth/login", json: #"{"password":"correct horse"}"#))
            let tablet = WebBrowser(browser.client)
            try tablet.adopt(try await tablet.send(.post, "/api/v1/auth/login", json: #"{"password":"correct horse"}"#))

            let list = try decode(AuthSessionList.self, try await browser.send(.get, "/api/v1/auth/sessions").body)
            #expect(list.sessions.count == 3)
            #expect(list.sessions.filter(\.current).count == 1)
            let phoneID = try #require(try decode(AuthState.self, try await phone.send(.get, "/api/v1/auth/session").body).session?.id)
            #expect(try await browser.send(.delete, "/api/v1/auth/sessions/\(phoneID)").status == .noContent)
            #expect(try await phone.send(.get, "/api/v1/status").status == .unauthorized)

            let others = try decode(RevokedSessions.self, try await browser.send(.post, "/api/v1/auth/sessions/sign-out-others").body)
            #expect(others.revoked == 1)
            #expect(try await tablet.send(.get, "/api/v1/status").status == .unauthorized)

            let logout = try await browser.send(.post, "/api/v1/auth/logout")
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await browser.send(.get, "/api/v1/status").status == .unauthorized)
        }
    }

    @Test func changePasswordAndRecoveryWorkOverHTTP() async throws {
        try await withWebAPI { browser, _, token in
            let code = try await browser.setUp(token: token)
            let change = try await browser.send(
                .post,
                "/api/v1/auth/password",
                json: #"{"currentPassword":"correct horse","newPassword":"battery staple"}"#
            )
            #expect(change.status == .noContent)
            #expect(try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"battery staple"}"#).status == .ok)

            let recovered = try await browser.send(.post, "/api/v1/auth/recover", json: #"{"recoveryCode":"\#(code)","newPassword":"third pass"}"#)
            let result = try decode(AuthLoginResult.self, recovered.body)
            #expect(recovered.status == .ok)
            #expect(result.recoveryCode != nil && result.recoveryCode != code)
            #expect(try await browser.send(.get, "/api/v1/status").status == .unauthorized)  // recovery ended the old session
        }
    }

    @Test func aNewRecoveryCodeNeedsTheLoginTheCSRFTokenAndThePassword() async throws {
        try await withWebAPI { browser, _, token in
            let body = #"{"currentPassword":"correct horse"}"#
            let anonymous = try await browser.send(.post, "/api/v1/auth/recovery-code", json: body)
            #expect(anonymous.status == .unauthorized)
            let old = try await browser.setUp(token: token)

            let noCSRF = try await browser.send(.post, "/api/v1/auth/recovery-code", json: body, csrf: false)
            let wrong = try await browser.send(.post, "/api/v1/auth/recovery-code", json: #"{"currentPassword":"guess"}"#)
            let missing = try await browser.send(.post, "/api/v1/auth/recovery-code", json: "{}")
            let fresh = try await browser.send(.post, "/api/v1/auth/recovery-code", json: body)

            #expect(noCSRF.status == .forbidden)
            #expect(noCSRF.errorCode == "csrf_token_invalid")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            #expect(missing.status == .badRequest)
            #expect(fresh.status == .ok)
            #expect(fresh.headers[.cacheControl] == "no-store")
            let code = try decode(NewRecoveryCodeResult.self, fresh.body).recoveryCode
            #expect(code != old)
            #expect(try await browser.send(.get, "/api/v1/status").status == .ok, "the session stays")

            let reused = try await browser.send(.post, "/api/v1/auth/recover", json: #"{"recoveryCode":"\#(old)","newPassword":"new pass 1"}"#)
            let used = try await browser.send(.post, "/api/v1/auth/recover", json: #"{"recoveryCode":"\#(code)","newPassword":"new pass 1"}"#)
            #expect(reused.errorCode == "invalid_credentials")
            #expect(used.status == .ok)
        }
    }

    @Test func wrongPasswordsForANewRecoveryCodeLockTheLoginWithRetryAfter() async throws {
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                statuses.append(
                    try await browser.send(.post, "/api/v1/auth/recovery-code", json: #"{"currentPassword":"wrong guess"}"#).status
                )
            }
            let locked = try await browser.send(.post, "/api/v1/auth/recovery-code", json: #"{"currentPassword":"correct horse"}"#)
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "account_locked")
            #expect(locked.headers[.retryAfter] != nil)
        }
    }

    @Test func returnPathsNeverLeaveTheOrigin() async throws {
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "/ok\nSet-Cookie: x", "", "/\t/evil"] {
            #expect(SafeReturnPath.validate(bad) == "/", "\(bad)")
        }
        #expect(SafeReturnPath.validate(nil) == "/")
        #expect(SafeReturnPath.validate("/workspaces/abc?tab=board") == "/workspaces/abc?tab=board")
        try await withWebAPI { browser, _, token in
            let reply = try await browser.send(
                .post,
                "/api/v1/auth/setup?return=%2F%2Fevil.example",
                json: #"{"token":"\#(token)","password":"correct horse"}"#
            )
            #expect(try decode(AuthLoginResult.self, reply.body).returnTo == "/")
            let login = try await browser.send(.post, "/api/v1/auth/login?return=%2Fboard", json: #"{"password":"correct horse"}"#)
            #expect(try decode(AuthLoginResult.self, login.body).returnTo == "/board")
        }
    }

    @Test func webSocketUpgradesNeedTheSessionAndCSRFQueryParameter() async throws {
        try await withWebAPI { browser, _, token in
            let upgrade: HTTPFields = [.upgrade: "websocket", .connection: "Upgrade"]
            #expect(try await browser.send(.get, "/ws/events", headers: upgrade).status == .unauthorized)
            try await browser.setUp(token: token)
            let csrf = try #require(browser.csrf)

            let missing = try await browser.send(.get, "/ws/events", headers: upgrade)
            let passed = try await browser.send(.get, "/ws/events?csrf=\(csrf)", headers: upgrade)
            browser.origin = "http://evil.example"
            let foreign = try await browser.send(.get, "/ws/events?csrf=\(csrf)", headers: upgrade)

            #expect(missing.status == .forbidden)
            #expect(missing.errorCode == "csrf_token_invalid")
            #expect(passed.status == .notFound)  // past every check; no WebSocket route exists yet
            #expect(foreign.status == .forbidden)
        }
    }

    @Test func secretsNeverReachTheLog() async throws {
        let log = CapturedLog()
        let secrets = SecretBox()
        try await withWebAPI(logger: log.logger) { browser, _, token in
            secrets.add(token)
            let code = try await browser.setUp(token: token, password: "first secret pw")
            secrets.add(code, "first secret pw", browser.cookie ?? "", browser.csrf ?? "")
            _ = try await browser.send(.post, "/api/v1/auth/login", json: #"{"password":"wrong secret pw"}"#)
            _ = try await browser.send(
                .post,
                "/api/v1/auth/password",
                json: #"{"currentPassword":"first secret pw","newPassword":"second secret pw"}"#
            )
            let recovered = try await browser.send(
                .post,
                "/api/v1/auth/recover",
                json: #"{"recoveryCode":"\#(code)","newPassword":"third secret pw"}"#
            )
            secrets.add("wrong secret pw", "second secret pw", "third secret pw")
            secrets.add(try decode(AuthLoginResult.self, recovered.body).recoveryCode ?? "")
            try browser.adopt(recovered)
            let renewed = try await browser.send(.post, "/api/v1/auth/recovery-code", json: #"{"currentPassword":"third secret pw"}"#)
            #expect(renewed.status == .ok)
            secrets.add(try decode(NewRecoveryCodeResult.self, renewed.body).recoveryCode, browser.cookie ?? "", browser.csrf ?? "")
            _ = try await browser.send(.get, "/nothing?token=\(token)")
        }
        #expect(log.text.contains("web password"))  // the log did record the events
        #expect(log.text.contains("web recovery code replaced"))
        for secret in secrets.values where !secret.isEmpty {
            #expect(!log.text.contains(secret), "a secret reached the log")
        }
    }

    @Test func debugLevelLogsEachRequestWithoutItsQuery() async throws {
        let log = CapturedLog()
        try await withWebAPI(logger: log.logger) { browser, _, token in
            _ = try await browser.send(.get, "/api/v1/auth/session")
            _ = try await browser.send(.get, "/setup-probe?token=\(token)")
            #expect(!log.text.contains(token), "the query string (where the setup token travels) is never logged")
        }
        let lines = log.text.split(separator: "\n").filter { $0.hasPrefix("debug request ") }
        #expect(lines.contains { $0.contains("\"http.path\": /api/v1/auth/session") && $0.contains("\"http.status\": 200") })
        #expect(lines.contains { $0.contains("\"http.path\": /setup-probe") && $0.contains("\"http.status\": 404") })
        #expect(lines.allSatisfy { $0.contains("duration_ms") && $0.contains("\"http.method\": GET") })
    }

    @Test func resetPasswordOverTheSocketIssuesAFreshSetupLink() async throws {
        try await withSocketAPI { client, services in
            let first = try #require(try await services.auth.prepareSetupToken())
            let (status, body) = try await client.send(.post, "/api/v1/auth/reset-password")
            let result = try decode(PasswordResetResult.self, body)
            let token = try #require(result.setupURL.components(separatedBy: "/setup?token=").last)

            #expect(status == .ok)
            #expect(result.setupURL.hasPrefix("http://127.0.0.1:1/setup?token="))
            #expect(token != first)
            _ = try await services.auth.setup(token: token, password: "brand new pw", userAgent: nil)
        }
    }

    @Test func theDaemonHashesWithBcryptCost12() async throws {
        let hasher = BcryptPasswordHasher()
        let hash = try await hasher.hash("correct horse")

        #expect(hash.hasPrefix("$2b$12$"))
        #expect(try await hasher.verify("correct horse", hash: hash))
        #expect(try await !hasher.verify("correct horsf", hash: hash))
    }
}

/// Secrets seen during a test, checked against the log afterwards.
final class SecretBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var values: [String] { self.lock.withLock { self.stored } }

    func add(_ values: String...) {
        self.lock.withLock { self.stored.append(contentsOf: values) }
    }
}
