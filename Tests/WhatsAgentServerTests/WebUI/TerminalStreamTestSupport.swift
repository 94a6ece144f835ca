import Foundation
import Testing
import WebSocketProbe
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentTerminal

@testable import WhatsAgentServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The owner logged in to a real daemon's TCP listener, as the web page is: first-run setup with the token the daemon
/// printed, then the session cookie and CSRF token.
struct WebLogin {
    /// `http://127.0.0.1:PORT`.
    let base: String
    let cookie: String
    let csrf: String

    static func setUp(_ daemon: ManagedDaemon, password: String = "correct horse battery") async throws -> WebLogin {
        let setupURL = try #require(daemon.info.setupURL, "a fresh daemon prints a setup link")
        let token = try #require(URLComponents(string: setupURL)?.queryItems?.first { $0.name == "token" }?.value)
        let base = daemon.info.url
        var request = URLRequest(url: try #require(URL(string: "\(base)/api/v1/auth/setup")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(base, forHTTPHeaderField: "Origin")
        request.httpBody = try JSONEncoder().encode(["token": token, "password": password])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        let (data, response) = try await URLSession(configuration: configuration).data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 201, "setup: \(String(decoding: data, as: UTF8.self))")
        let setCookie = try #require(http.value(forHTTPHeaderField: "Set-Cookie"))
        let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
        #expect(cookie.hasPrefix("\(WebSecurityPolicy.cookieName)="))
        let result = try WireJSON.decoder().decode(AuthLoginResult.self, from: data)
        return WebLogin(base: base, cookie: cookie, csrf: result.csrfToken)
    }

    /// The terminal stream path of `agent` (colon percent-encoded, as the page does).
    func streamPath(_ agent: String, from: UInt64? = nil, csrf: String? = nil) -> String {
        let encoded = agent.replacingOccurrences(of: ":", with: "%3A")
        let offset = from.map { "&from=\($0)" } ?? ""
        return "/api/v1/workspaces/current/agents/\(encoded)/terminal/stream?csrf=\(csrf ?? self.csrf)\(offset)"
    }

    func openTerminal(_ agent: String, from: UInt64? = nil) async throws -> TerminalView {
        let socket = try await WebSocketProbe.connect(base: self.base, path: self.streamPath(agent, from: from), cookie: self.cookie)
        return try await TerminalView.subscribe(socket)
    }
}

/// What one viewer of the terminal stream received: the `subscribed` frame, the output bytes, the text events.
final class TerminalView: @unchecked Sendable {
    let socket: WebSocketProbe
    let startOffset: UInt64
    let endOffset: UInt64
    let size: TerminalSize
    private(set) var bytes: [UInt8] = []
    private(set) var events: [[String: Any]] = []
    private(set) var closeCode: UInt16?

    private init(socket: WebSocketProbe, subscribed: [String: Any]) throws {
        self.socket = socket
        self.startOffset = try #require((subscribed["startOffset"] as? NSNumber)?.uint64Value)
        self.endOffset = try #require((subscribed["endOffset"] as? NSNumber)?.uint64Value)
        self.size = TerminalSize(cols: try #require(subscribed["cols"] as? Int), rows: try #require(subscribed["rows"] as? Int))
    }

    /// Reads the first frame, which must be `subscribed`.
    static func subscribe(_ socket: WebSocketProbe) async throws -> TerminalView {
        let first = try await socket.next()
        guard case .text(let text)? = first, let object = Self.object(text), object["type"] as? String == "subscribed" else {
            Issue.record("the first frame is not `subscribed`: \(String(describing: first))")
            throw WebSocketProbe.Failure.closed
        }
        return try TerminalView(socket: socket, subscribed: object)
    }

    /// The next byte offset (what `from=` resumes at).
    var offset: UInt64 { self.startOffset + UInt64(self.bytes.count) }
    var text: String { String(decoding: self.bytes, as: UTF8.self) }

    /// Reads frames until `done` holds, failing after `timeout`. Returns false when the socket closed first.
    @discardableResult
    func read(timeout: Duration = .seconds(20), until done: @escaping @Sendable (TerminalView) -> Bool) async throws -> Bool {
        do {
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    while !done(self) {
                        guard let frame = try await self.socket.next() else { return false }
                        switch frame {
                        case .binary(let bytes): self.bytes += bytes
                        case .text(let text): self.events.append(Self.object(text) ?? ["unparsed": text])
                        case .close(let code, _):
                            self.closeCode = code
                            return done(self)
                        }
                    }
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw TimedOut(output: "", events: 0, closeCode: nil)
                }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
        } catch is TimedOut {
            // Both tasks have ended: the state can be read.
            throw TimedOut(output: String(self.text.suffix(300)), events: self.events.count, closeCode: self.closeCode)
        }
    }

    /// Reads until the output contains `needle`.
    func read(untilOutputContains needle: String, timeout: Duration = .seconds(20)) async throws {
        let found = try await self.read(timeout: timeout) { $0.tail(contains: needle) }
        #expect(
            found,
            "output never contained \(needle.debugDescription) (close \(self.closeCode.map(String.init) ?? "none")); got \(self.text.suffix(400).debugDescription)"
        )
    }

    /// Whether the newest output (the last frame and a bit before it) contains `needle`: cheap on long streams when
    /// checked after every frame.
    func tail(contains needle: String) -> Bool {
        String(decoding: self.bytes.suffix(needle.utf8.count + (128 << 10)), as: UTF8.self).contains(needle)
    }

    func events(ofType type: String) -> [[String: Any]] {
        self.events.filter { $0["type"] as? String == type }
    }

    func type(_ text: String) async throws {
        try await self.socket.send(binary: Array(text.utf8))
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    struct TimedOut: Error, CustomStringConvertible {
        var output: String
        var events: Int
        var closeCode: UInt16?

        var description: String {
            "timed out reading the terminal stream (\(self.events) events, close \(self.closeCode.map(String.init) ?? "none")); output ends with \(self.output.debugDescription)"
        }
    }
}

extension ManagedDaemon {
    /// Waits until the runner of `agent` has output containing `needle` (read through the owner socket, before any
    /// browser viewer connects).
    func waitForOutput(_ agent: String, containing needle: String) async throws {
        let access = try await self.client.terminalAccess(workspace: nil, agent)
        let connection = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
        defer { Task { await connection.close() } }
        var seen: [UInt8] = []
        for try await event in connection.subscribe() {
            if case .output(_, let bytes) = event { seen += bytes }
            if String(decoding: seen, as: UTF8.self).contains(needle) { return }
        }
        Issue.record("\(agent) ended before printing \(needle)")
    }
}
