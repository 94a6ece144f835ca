import Foundation
import WhatsAgentAPI

/// The daemon's client connection to one managed Codex's app-server (docs/codex-app-server.md): a second client
/// beside the human's TUI. It follows which thread is the TUI's and, on mail, starts a turn with the hint when that
/// thread is idle or steers the running turn when it is busy. It answers no server request (approvals, user input,
/// elicitations stay with the human in the TUI).
actor CodexAppServerLink {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let socketPath: String
    private var rpc: AppServerRPC?
    private var socket: AppServerSocket?
    private var tracker = CodexThreadTracker()
    private var opening: Task<AppServerRPC, any Error>?

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Delivers `text` as user input: a new turn in the TUI's idle thread, or steered into its running turn. The
    /// receipt names the turn the app-server reported, which confirms the push.
    func push(_ text: String) async throws -> CodexPushReceipt {
        let rpc = try await self.connected()
        guard let thread = self.tracker.current else { throw Unavailable(description: "Codex has no thread yet") }
        let input: JSONValue = [["type": "text", "text": .string(text), "text_elements": []]]
        var lastFailure = "no attempt"
        // The thread may change state between the read and the request (the human sends, a turn ends): read again.
        for _ in 0..<3 {
            let read = try await rpc.call("thread/read", ["threadId": .string(thread)])
            do {
                switch CodexPushDecision(thread: read["thread"] ?? .null) {
                case .start:
                    let started = try await rpc.call("turn/start", ["threadId": .string(thread), "input": input])
                    guard let turn = started["turn"]?["id"]?.stringValue else { throw Unavailable(description: "turn/start named no turn") }
                    return .started(thread: thread, turn: turn)
                case .steer:
                    let expected = try await self.runningTurn(rpc, thread: thread)
                    let steered = try await rpc.call(
                        "turn/steer",
                        ["threadId": .string(thread), "expectedTurnId": .string(expected), "input": input]
                    )
                    guard let turn = steered["turnId"]?.stringValue else { throw Unavailable(description: "turn/steer named no turn") }
                    return .steered(thread: thread, turn: turn)
                case .wait(let why):
                    throw Unavailable(description: why)
                }
            } catch let failure as AppServerRPC.Failure where failure.code != nil {
                lastFailure = failure.description
                continue
            }
        }
        throw Unavailable(description: "the app-server refused the hint: \(lastFailure)")
    }

    /// The id of the turn running in `thread`: from `thread/read` with its turns, or — where 0.147 refuses to list
    /// them — from the refusal of a `turn/steer` that names no turn (it carries no input the model could see).
    private func runningTurn(_ rpc: AppServerRPC, thread: String) async throws -> String {
        if let read = try? await rpc.call("thread/read", ["threadId": .string(thread), "includeTurns": true]),
            case .steer(let turn?) = CodexPushDecision(thread: read["thread"] ?? .null)
        {
            return turn
        }
        do {
            _ = try await rpc.call("turn/steer", ["threadId": .string(thread), "expectedTurnId": "", "input": []])
        } catch let failure as AppServerRPC.Failure {
            if let turn = CodexPushDecision.activeTurn(inRefusal: failure.message) { return turn }
            throw failure
        }
        throw Unavailable(description: "the app-server named no running turn")
    }

    /// The RPC of an open, initialized connection (opened on first use and again after it dropped; callers that
    /// arrive while it opens wait for the same connection).
    private func connected() async throws -> AppServerRPC {
        if let rpc = self.rpc { return rpc }
        if let opening = self.opening { return try await opening.value }
        let opening = Task { try await self.open() }
        self.opening = opening
        defer { self.opening = nil }
        return try await opening.value
    }

    private func open() async throws -> AppServerRPC {
        let socket = try await AppServerSocket.connect(path: self.socketPath)
        let (notifications, continuation) = AsyncStream.makeStream(of: (method: String, params: JSONValue).self)
        let rpc = AppServerRPC(send: { try await socket.send(text: $0) }, notifications: continuation)
        Task {
            await socket.run { await rpc.receive($0) }
            await rpc.close()
            await self.dropped(rpc)
        }
        Task {
            for await (method, params) in notifications { await self.notified(method, params) }
        }
        do {
            _ = try await rpc.call(
                "initialize",
                [
                    "clientInfo": ["name": "whatsagent", "title": "WhatsAgent", "version": .string(WhatsAgentVersion.current)],
                    "capabilities": ["experimentalApi": true],
                ]
            )
            try await rpc.notify("initialized")
            var found = CodexThreadTracker()
            if case .array(let ids)? = try await rpc.call("thread/loaded/list")["data"] {
                for id in ids.compactMap(\.stringValue) {
                    let read = try await rpc.call("thread/read", ["threadId": .string(id)])
                    guard read["thread"]?["ephemeral"] != .bool(true) else { continue }
                    if case .number(let created)? = read["thread"]?["createdAt"] { found.found(id, createdAt: created) }
                }
            }
            // A thread/started that arrived meanwhile wins over the walk.
            if self.tracker.current == nil { self.tracker = found }
        } catch {
            await socket.close()
            throw error
        }
        self.rpc = rpc
        self.socket = socket
        return rpc
    }

    private func notified(_ method: String, _ params: JSONValue) {
        self.tracker.notified(method, params)
    }

    private func dropped(_ rpc: AppServerRPC) {
        guard self.rpc === rpc else { return }
        self.rpc = nil
        self.socket = nil
        self.tracker = CodexThreadTracker()
    }

    /// Server requests this connection saw and left to the human (for tests and diagnosis).
    func unansweredRequests() async -> [String] {
        await self.rpc?.unansweredRequests ?? []
    }

    func close() async {
        await self.socket?.close()
        self.rpc = nil
        self.socket = nil
    }
}
