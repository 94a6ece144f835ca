import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal MCP client of one `whatsagent mcp` process: newline-delimited JSON-RPC over its stdin and stdout.
///
/// Requests may be pipelined: each gets the next id and waits for the response with that id, which a reader thread
/// routes as lines arrive. Every `notifications/claude/channel` push is signalled on ``pushes`` (coalesced: one
/// pending signal means "mail may be waiting").
final class MCPStdioClient: Sendable {
    /// The parts of a JSON-RPC message the bench looks at.
    struct Reply: Decodable, Sendable {
        struct Failure: Decodable, Sendable {
            var code: Int
            var message: String
        }
        struct Result: Decodable, Sendable {
            struct Structured: Decodable, Sendable {
                var count: Int?
                var messageId: String?
            }
            struct Content: Decodable, Sendable {
                var text: String?
            }
            var protocolVersion: String?
            var isError: Bool?
            var structuredContent: Structured?
            var content: [Content]?
        }
        var id: Int?
        var method: String?
        var result: Result?
        var error: Failure?
    }

    private struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<Reply, any Error>] = [:]
        var failure: (any Error)?
    }

    let pid: Int32
    /// When the spawn began.
    let spawnedAt: ContinuousClock.Instant
    let pushes: AsyncStream<Void>
    private let pushContinuation: AsyncStream<Void>.Continuation
    /// The write end of the child's stdin; nil once closed. Its lock also keeps each message in one piece.
    private let input: Locked<Int32?>
    private let state = Locked(State())
    private let exited = Locked<Int32?>(nil)

    /// Spawns `binary mcp` with `environment`; its stderr goes to `stderrPath`.
    init(binary: String, environment: [String: String], stderrPath: String) throws {
        (self.pushes, self.pushContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.spawnedAt = ContinuousClock.now
        let child = try Spawn.start(binary, ["mcp"], environment: environment, stdin: .pipe, stdout: .pipe, stderr: .file(stderrPath))
        self.pid = child.pid
        self.input = Locked(child.stdin)
        Cleanup.shared.track(pid: child.pid)
        let output = child.stdout ?? -1
        Thread.detachNewThread { [self] in self.readLoop(descriptor: output) }
    }

    // MARK: - Requests

    /// Sends one request and waits for its response; a JSON-RPC error is thrown.
    func request(_ method: String, params: [String: Any]) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            let id: Int? = self.state.withLock { state in
                if let failure = state.failure {
                    continuation.resume(throwing: failure)
                    return nil
                }
                let id = state.nextID
                state.nextID += 1
                state.pending[id] = continuation
                return id
            }
            guard let id else { return }
            do {
                try self.write(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
            } catch {
                if let waiting = self.state.withLock({ $0.pending.removeValue(forKey: id) }) { waiting.resume(throwing: error) }
            }
        }
    }

    /// `tools/call`; a result with `isError` is thrown with its text.
    func callTool(_ name: String, arguments: [String: Any]) async throws -> Reply.Result {
        let reply = try await self.request("tools/call", params: ["name": name, "arguments": arguments])
        guard let result = reply.result else { throw BenchError.unexpected("tools/call \(name) returned no result") }
        if result.isError == true {
            throw BenchError.unexpected("\(name) failed: \(result.content?.first?.text ?? "no text")")
        }
        return result
    }

    /// `initialize`, answered once the server holds the daemon's events stream.
    func initialize() async throws -> Reply {
        try await self.request(
            "initialize",
            params: [
                "protocolVersion": "2025-06-18",
                "capabilities": [String: Any](),
                "clientInfo": ["name": "whatsagent-bench", "version": "1"],
            ]
        )
    }

    /// `notifications/initialized`: from now on the server sends pushes.
    func initialized() throws {
        try self.write(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    /// Closes stdin (the normal end of an MCP session) and waits for the process to exit; returns its status.
    @discardableResult
    func close() async -> Int32 {
        self.input.withLock { descriptor in
            if let open = descriptor { Spawn.closeDescriptor(open) }
            descriptor = nil
        }
        return await self.reap()
    }

    /// Kills the process (on failure or timeout); pending requests fail once its stdout closes.
    func terminate() {
        if self.exited.withLock({ $0 }) == nil { kill(self.pid, SIGKILL) }
    }

    private func reap() async -> Int32 {
        if let status = self.exited.withLock({ $0 }) { return status }
        let status = await Spawn.wait(self.pid)
        self.exited.withLock { $0 = status }
        Cleanup.shared.untrack(pid: self.pid)
        return status
    }

    private func write(_ message: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(UInt8(ascii: "\n"))
        try self.input.withLock { descriptor in
            guard let descriptor else { throw BenchError.unexpected("`whatsagent mcp` (pid \(self.pid)): its stdin is closed") }
            try Spawn.writeAll(descriptor, data, to: "`whatsagent mcp` (pid \(self.pid))")
        }
    }

    // MARK: - Responses

    private func readLoop(descriptor: Int32) {
        let decoder = JSONDecoder()
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1_024)
        defer { Spawn.closeDescriptor(descriptor) }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                if !line.isEmpty { self.dispatch(line, decoder: decoder) }
            }
        }
        let failure = BenchError.unexpected("`whatsagent mcp` (pid \(self.pid)) closed its stdout")
        let waiting = self.state.withLock { state in
            state.failure = failure
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: failure) }
        self.pushContinuation.finish()
    }

    private func dispatch(_ line: Data, decoder: JSONDecoder) {
        guard let reply = try? decoder.decode(Reply.self, from: line) else { return }
        if let method = reply.method {
            if method == "notifications/claude/channel" { self.pushContinuation.yield() }
            return
        }
        guard let id = reply.id, let continuation = self.state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
        if let error = reply.error {
            continuation.resume(throwing: BenchError.unexpected("JSON-RPC error \(error.code): \(error.message)"))
        } else {
            continuation.resume(returning: reply)
        }
    }
}
