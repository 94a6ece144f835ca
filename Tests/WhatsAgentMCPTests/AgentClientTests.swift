import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient

/// ``AgentClient`` against a scripted daemon on a real Unix socket: paths, token, error envelope, and the
/// events stream (line by line as written; closed when the consumer goes).
@Suite struct AgentClientTests {
    @Test func toolsSendsTheSessionTokenAndDecodesTheCatalogue() async throws {
        let json = String(decoding: try WireJSON.encoder().encode(AgentToolCatalogue.sample), as: UTF8.self)
        let stub = try UnixSocketHTTPStub { _, connection in connection.respond("200 OK", json: json) }
        defer { stub.stop() }

        let catalogue = try await AgentClient(socketPath: stub.path, token: "tok-1").tools()

        let request = try #require(await Self.first(stub.requests))
        #expect(catalogue == .sample)
        #expect(request.method == "GET" && request.path == "/api/v1/agent/tools")
        #expect(request.headers["authorization"] == "Bearer tok-1")
    }

    @Test func aForgedTokenIsAnAPIError401() async throws {
        let stub = try UnixSocketHTTPStub { _, connection in
            connection.respond("401 Unauthorized", json: #"{"error":{"code":"invalid_token","message":"unknown session token"}}"#)
        }
        defer { stub.stop() }

        await #expect(throws: ClientError.api(status: 401, code: "invalid_token", message: "unknown session token")) {
            try await AgentClient(socketPath: stub.path, token: "forged").tools()
        }
    }

    @Test func callPostsTheArgumentsObjectToTheToolPath() async throws {
        let stub = try UnixSocketHTTPStub { _, connection in
            connection.respond("200 OK", json: #"{"isError":false,"leaseId":"l-1","structured":{"count":0},"text":"no messages"}"#)
        }
        defer { stub.stop() }

        let result = try await AgentClient(socketPath: stub.path, token: "t").call("check_messages", arguments: ["limit": 5])

        let request = try #require(await Self.first(stub.requests))
        #expect(result == AgentToolResult(text: "no messages", structured: ["count": 0], leaseId: "l-1"))
        #expect(request.method == "POST" && request.path == "/api/v1/agent/tools/check_messages")
        #expect(try WireJSON.decoder().decode(JSONValue.self, from: request.body) == ["limit": 5])
    }

    @Test func ackPostsTheLeaseAndAccepts204() async throws {
        let stub = try UnixSocketHTTPStub { _, connection in connection.respond("204 No Content") }
        defer { stub.stop() }

        try await AgentClient(socketPath: stub.path, token: "t").ack(leaseId: "l-7")

        let request = try #require(await Self.first(stub.requests))
        #expect(request.method == "POST" && request.path == "/api/v1/agent/ack")
        #expect(try WireJSON.decoder().decode(AgentAckRequest.self, from: request.body) == AgentAckRequest(leaseId: "l-7"))
    }

    @Test func eventsArriveLineByLineAsTheyAreWritten() async throws {
        let proceed = DispatchSemaphore(value: 0)
        let stub = try UnixSocketHTTPStub { _, connection in
            connection.startStream()
            connection.chunk(#"{"agent":"api:main","kind":"hello","sessionId":"s-1"}"# + "\n" + #"{"agent":"api:main","#)
            proceed.wait()  // the test has the first event before the rest is written
            connection.chunk(#""count":1,"kind":"mail","messageIds":["m-1"],"sessionId":"s-1"}"# + "\n\n")
            connection.chunk(#"{"kind":"from_a_newer_daemon"}"# + "\n")
            connection.endStream()
        }
        defer { stub.stop() }

        var kinds: [AgentEvent.Kind] = []
        for try await event in AgentClient(socketPath: stub.path, token: "t").events() {
            kinds.append(event.kind)
            if event.kind == .hello { proceed.signal() }
        }

        let request = try #require(await Self.first(stub.requests))
        #expect(kinds == [.hello, .mail])
        #expect(request.path == "/api/v1/agent/events" && request.headers["authorization"] == "Bearer t")
    }

    @Test func stoppingTheConsumerClosesTheConnection() async throws {
        let (closed, markClosed) = AsyncStream<Void>.makeStream()
        let stub = try UnixSocketHTTPStub { _, connection in
            connection.startStream()
            connection.chunk(#"{"agent":"api:main","kind":"hello","sessionId":"s-1"}"# + "\n")
            connection.waitForClose()
            markClosed.yield()
        }
        defer { stub.stop() }

        var first: AgentEvent?
        for try await event in AgentClient(socketPath: stub.path, token: "t").events() {
            first = event
            break
        }

        #expect(first?.kind == .hello)
        #expect(await Self.first(closed) != nil)
    }

    @Test func aRefusedEventsStreamThrowsTheAPIError() async throws {
        let stub = try UnixSocketHTTPStub { _, connection in
            connection.respond("401 Unauthorized", json: #"{"error":{"code":"invalid_token","message":"the session has ended"}}"#)
        }
        defer { stub.stop() }

        await #expect(throws: ClientError.api(status: 401, code: "invalid_token", message: "the session has ended")) {
            for try await _ in AgentClient(socketPath: stub.path, token: "t").events() {}
        }
    }

    @Test func noDaemonIsDaemonNotRunning() async throws {
        let path = "/tmp/wa-none-\(UUID().uuidString.prefix(8)).sock"

        await #expect(throws: ClientError.daemonNotRunning(socket: path)) {
            try await AgentClient(socketPath: path, token: "t").tools()
        }
        await #expect(throws: ClientError.daemonNotRunning(socket: path)) {
            for try await _ in AgentClient(socketPath: path, token: "t").events() {}
        }
    }

    // MARK: Helpers

    static func first<Element>(_ stream: AsyncStream<Element>) async -> Element? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}
