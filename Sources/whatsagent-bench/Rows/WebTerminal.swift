import Foundation
import WebSocketProbe
import WhatsAgentAPI

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The browser path of the terminal rows: the owner logged in over TCP (first-run setup with the token `start --json`
/// printed in `setupURL`), and a viewer on `GET …/agents/{agent}/terminal/stream` through ``WebSocketProbe``, as the
/// web page's terminal connects.
final class WebTerminal {
    /// The session of the web login: cookie and CSRF token.
    struct Login: Sendable {
        let base: String
        let cookie: String
        let csrf: String
    }

    let address: String
    let socket: WebSocketProbe

    private init(address: String, socket: WebSocketProbe) {
        self.address = address
        self.socket = socket
    }

    /// First-run setup of the daemon's web login.
    static func logIn(daemon: DaemonHarness) async throws -> Login {
        guard let setupURL = daemon.info.setupURL,
            let token = URLComponents(string: setupURL)?.queryItems?.first(where: { $0.name == "token" })?.value,
            let url = URL(string: "\(daemon.info.url)/api/v1/auth/setup")
        else { throw BenchError.unexpected("`whatsagent start --json` printed no setupURL with a token") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(daemon.info.url, forHTTPHeaderField: "Origin")
        request.httpBody = try JSONEncoder().encode(["token": token, "password": "bench password \(UUID().uuidString)"])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        let (data, response) = try await URLSession(configuration: configuration).data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 201,
            let cookie = http.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first
        else {
            throw BenchError.unexpected("web setup failed: \(String(decoding: data, as: UTF8.self))")
        }
        let result = try WireJSON.decoder().decode(AuthLoginResult.self, from: data)
        return Login(base: daemon.info.url, cookie: String(cookie), csrf: result.csrfToken)
    }

    /// Opens the terminal stream of `address` and reads the replay of what it printed so far, so whatever follows is
    /// the measured traffic alone.
    static func connect(login: Login, address: String) async throws -> WebTerminal {
        let agent = address.replacingOccurrences(of: ":", with: "%3A")
        let path = "/api/v1/workspaces/current/agents/\(agent)/terminal/stream?csrf=\(login.csrf)"
        let socket = try await WebSocketProbe.connect(base: login.base, path: path, cookie: login.cookie)
        let terminal = WebTerminal(address: address, socket: socket)
        guard case .text(let text)? = try await socket.next(),
            let subscribed = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            subscribed["type"] as? String == "subscribed",
            let start = (subscribed["startOffset"] as? NSNumber)?.intValue,
            let end = (subscribed["endOffset"] as? NSNumber)?.intValue
        else { throw BenchError.unexpected("the terminal stream of \(address) did not start with `subscribed`") }
        var replayed = 0
        while replayed < end - start { replayed += try await terminal.nextOutput().count }
        return terminal
    }

    /// The next binary frame (text events are skipped); fails when the agent exits or the stream closes.
    func nextOutput() async throws -> [UInt8] {
        while let frame = try await self.socket.next() {
            switch frame {
            case .binary(let bytes): return bytes
            case .text(let text):
                if text.contains(#""type":"exited""#) || text.contains(#""type":"error""#) {
                    throw BenchError.unexpected("the terminal stream of \(self.address) ended: \(text)")
                }
            case .close(let code, let reason):
                throw BenchError.unexpected("the terminal stream of \(self.address) closed (\(code.map(String.init) ?? "-") \(reason))")
            }
        }
        throw BenchError.unexpected("the terminal stream of \(self.address) ended")
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.socket.send(binary: bytes)
    }
}
