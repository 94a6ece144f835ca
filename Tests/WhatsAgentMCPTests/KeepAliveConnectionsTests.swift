import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``AgentClient`` reuses keep-alive connections for tool calls and acks (``KeepAliveConnections``), and never reuses
/// one the daemon closed or marked `Connection: close`.
@Suite struct KeepAliveConnectionsTests {
    @Test func sequentialCallsShareOneConnection() async throws {
        let stub = try KeepAliveStub { _ in .keepAlive }
        defer { stub.stop() }
        let client = AgentClient(socketPath: stub.path, token: "t")

        for limit in 1...3 {
            let result = try await client.call("check_messages", arguments: ["limit": .number(Double(limit))])
            #expect(result.text == "ok")
        }
        try await client.ack(leaseId: "l-1")

        #expect(stub.connections == 1)
        #expect(stub.requests.map(\.path) == Array(repeating: "/api/v1/agent/tools/check_messages", count: 3) + ["/api/v1/agent/ack"])
        #expect(stub.requests.allSatisfy { $0.headers["authorization"] == "Bearer t" && $0.headers["connection"] == nil })
    }

    @Test func aConnectionTheDaemonMarksCloseIsNotReused() async throws {
        let stub = try KeepAliveStub { _ in .connectionClose }
        defer { stub.stop() }
        let client = AgentClient(socketPath: stub.path, token: "t")

        _ = try await client.call("whoami", arguments: [:])
        _ = try await client.call("whoami", arguments: [:])

        #expect(stub.connections == 2)
    }

    @Test func aConnectionTheDaemonClosedWhileIdleIsReplaced() async throws {
        // Answers keep-alive, then hangs up: as a daemon that stops between two calls.
        let stub = try KeepAliveStub { _ in .keepAliveThenHangUp }
        defer { stub.stop() }
        let client = AgentClient(socketPath: stub.path, token: "t")

        _ = try await client.call("whoami", arguments: [:])
        try await stub.waitForHangUps(1)
        let second = try await client.call("whoami", arguments: [:])

        #expect(second.text == "ok")
        #expect(stub.connections == 2)
    }

    @Test func concurrentCallsEachGetAConnectionAndAllAnswer() async throws {
        let stub = try KeepAliveStub { _ in .keepAlive }
        defer { stub.stop() }
        let client = AgentClient(socketPath: stub.path, token: "t")

        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 { group.addTask { try await client.call("whoami", arguments: [:]).text } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(texts == Array(repeating: "ok", count: 6))
        #expect((1...6).contains(stub.connections))

        // Afterwards the idle connections are reused rather than new ones opened.
        let before = stub.connections
        _ = try await client.call("whoami", arguments: [:])
        #expect(stub.connections == before)
    }
}

/// A daemon stand-in on a Unix socket that answers several requests per connection and counts connections.
final class KeepAliveStub: Sendable {
    enum Answer: Sendable {
        case keepAlive
        case connectionClose
        case keepAliveThenHangUp
    }

    let path: String
    private let listener: UnixSocketListener
    private let state = Locked<(connections: Int, requests: [UnixSocketHTTPStub.Request], hangUps: Int)>((0, [], 0))

    var connections: Int { self.state.withLock { $0.connections } }
    var requests: [UnixSocketHTTPStub.Request] { self.state.withLock { $0.requests } }

    init(answer: @escaping @Sendable (UnixSocketHTTPStub.Request) -> Answer) throws {
        let listener = try UnixSocketListener(prefix: "wa-ka")
        self.path = listener.path
        self.listener = listener
        let state = self.state
        Thread {
            while true {
                guard let descriptor = listener.accept() else { return }
                state.withLock { $0.connections += 1 }
                Thread {
                    let connection = StubConnection(descriptor: descriptor)
                    while let request = connection.readRequest() {
                        state.withLock { $0.requests.append(request) }
                        let body = #"{"isError":false,"text":"ok"}"#
                        let kind = answer(request)
                        let status = request.path.hasSuffix("/ack") ? "204 No Content" : "200 OK"
                        let length = status.hasPrefix("204") ? "" : "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                        let close = kind == .connectionClose ? "Connection: close\r\n" : ""
                        connection.send("HTTP/1.1 \(status)\r\n\(length)\(close)\r\n\(status.hasPrefix("204") ? "" : body)")
                        if kind != .keepAlive { break }
                    }
                    close(descriptor)
                    state.withLock { $0.hangUps += 1 }
                }.start()
            }
        }.start()
    }

    /// Polls (with a deadline) until `count` connections were closed by this side.
    func waitForHangUps(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while self.state.withLock({ $0.hangUps }) < count {
            guard ContinuousClock.now < deadline else { throw POSIXError(.ETIMEDOUT) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func stop() {
        self.listener.stop()
    }
}
