import Foundation
import WhatsAgentAPI

/// JSON-RPC 2.0 as Codex's app-server speaks it (the `"jsonrpc"` member omitted on the wire): numbered requests
/// matched to their responses, notifications handed on. Requests *from* the server — command and file approvals,
/// user input, MCP elicitations — are never answered here: they belong to the human in the TUI (docs/security.md).
actor AppServerRPC {
    /// A JSON-RPC error response, or the connection ending before the response came.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var code: Int?
        var message: String

        var description: String { self.code.map { "\(self.message) (\($0))" } ?? self.message }
    }

    typealias Send = @Sendable (String) async throws -> Void

    private let send: Send
    private let notifications: AsyncStream<(method: String, params: JSONValue)>.Continuation
    private var nextID = 1
    private var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
    private var ended: Failure?
    /// Server requests seen and left unanswered (method names), newest last.
    private(set) var unansweredRequests: [String] = []

    init(send: @escaping Send, notifications: AsyncStream<(method: String, params: JSONValue)>.Continuation) {
        self.send = send
        self.notifications = notifications
    }

    /// Sends a request and waits for its result (a `Failure` for an error response, the end of the connection, or
    /// no answer within `timeout`).
    func call(_ method: String, _ params: JSONValue = [:], timeout: Duration = .seconds(10)) async throws -> JSONValue {
        if let ended = self.ended { throw ended }
        let id = self.nextID
        self.nextID += 1
        let text = try Self.encode(["id": .number(Double(id)), "method": .string(method), "params": params])
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.resolve(id, with: .failure(Failure(message: "no answer to \(method) within \(timeout)")))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            self.pending[id] = continuation
            Task {
                do { try await self.send(text) } catch { self.resolve(id, with: .failure(Failure(message: "cannot send \(method): \(error)"))) }
            }
        }
    }

    /// Sends a notification (no answer).
    func notify(_ method: String, _ params: JSONValue = [:]) async throws {
        try await self.send(try Self.encode(["method": .string(method), "params": params]))
    }

    /// One message from the server.
    func receive(_ text: String) {
        guard let message = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object(let fields) = message else { return }
        let method = fields["method"]?.stringValue
        if let method {
            if fields["id"] != nil {
                self.unansweredRequests.append(method)  // a server request: the human answers it in the TUI
            } else {
                self.notifications.yield((method, fields["params"] ?? .null))
            }
            return
        }
        guard let id = fields["id"]?.intValue else { return }
        if let error = fields["error"] {
            self.resolve(id, with: .failure(Failure(code: error["code"]?.intValue, message: error["message"]?.stringValue ?? "error")))
        } else {
            self.resolve(id, with: .success(fields["result"] ?? .null))
        }
    }

    /// The connection ended: every waiting call fails, later calls fail at once.
    func close(_ reason: String = "the app-server connection ended") {
        let failure = Failure(message: reason)
        self.ended = failure
        for (id, _) in self.pending { self.resolve(id, with: .failure(failure)) }
        self.notifications.finish()
    }

    private func resolve(_ id: Int, with result: Result<JSONValue, any Error>) {
        self.pending.removeValue(forKey: id)?.resume(with: result)
    }

    static func encode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
