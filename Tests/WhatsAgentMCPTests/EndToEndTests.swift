import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// `whatsagent mcp` as the runtime sees it, minus the CLI wrapper: JSON-RPC lines over real pipes through
/// ``BlockingStdioTransport``, and the real ``AgentClient`` talking to a scripted daemon on a Unix socket.
@Suite struct EndToEndTests {
    @Test func initializePushCallAckAndEOF() async throws {
        let (acks, acked) = AsyncStream<String>.makeStream()
        let (eventsClosed, markEventsClosed) = AsyncStream<Void>.makeStream()
        let sendMail = DispatchSemaphore(value: 0)
        let catalogue = String(decoding: try WireJSON.encoder().encode(AgentToolCatalogue.sample), as: UTF8.self)
        let daemon = try UnixSocketHTTPStub { request, connection in
            switch (request.method, request.path) {
            case ("GET", "/api/v1/agent/tools"):
                connection.respond("200 OK", json: catalogue)
            case ("POST", "/api/v1/agent/tools/check_messages"):
                connection.respond("200 OK", json: #"{"isError":false,"leaseId":"lease-e2e","text":"1 message from web:ui"}"#)
            case ("POST", "/api/v1/agent/ack"):
                let ack = try? WireJSON.decoder().decode(AgentAckRequest.self, from: request.body)
                connection.respond("204 No Content")
                acked.yield(ack?.leaseId ?? "?")
            case ("GET", "/api/v1/agent/events"):
                connection.startStream()
                connection.chunk(#"{"agent":"api:main","kind":"hello","sessionId":"s-1"}"# + "\n")
                sendMail.wait()
                connection.chunk(
                    #"{"agent":"api:main","count":1,"from":"web:ui","kind":"mail","kinds":["direct"],"messageIds":["m-1"],"#
                        + #""messageKind":"direct","sessionId":"s-1","threadId":"m-1"}"# + "\n"
                )
                connection.waitForClose()
                markEventsClosed.yield()
            default:
                connection.respond("404 Not Found", json: #"{"error":{"code":"not_found","message":"no route"}}"#)
            }
        }
        defer { daemon.stop() }
        let stdin = Pipe()
        let stdout = Pipe()
        let output = LineReader(stdout.fileHandleForReading)
        let environment = [SessionEnvironment.socket: daemon.path, SessionEnvironment.token: "tok-e2e"]
        var requests = daemon.requests.makeAsyncIterator()

        async let exitCode = WhatsAgentMCPMain.run(
            environment: environment,
            report: { _ in },
            connect: { AgentClient(socketPath: $0, token: $1) },
            transport: {
                BlockingStdioTransport(input: stdin.fileHandleForReading.fileDescriptor, output: stdout.fileHandleForWriting.fileDescriptor)
            }
        )
        let write = { (line: String) in stdin.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        #expect(await requests.next()?.headers["authorization"] == "Bearer tok-e2e")  // the token check

        write(RawMCPClient.initialize(id: "1", capabilities: #"{"experimental":{"claude/channel":{}}}"#))
        let initialize = try await output.next()
        write(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        #expect(await requests.next()?.path == "/api/v1/agent/events")
        sendMail.signal()
        let push = try await output.next()
        write(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check_messages","arguments":{}}}"#)
        let call = try await output.next()
        var ackIterator = acks.makeAsyncIterator()
        let ack = await ackIterator.next()
        try stdin.fileHandleForWriting.close()
        let code = await exitCode
        var closedIterator = eventsClosed.makeAsyncIterator()
        let closed: Void? = await closedIterator.next()

        #expect(initialize?["result"]?["capabilities"]?["experimental"] == ["claude/channel": [:]])
        #expect(push?["method"] == "notifications/claude/channel")
        #expect(
            push?["params"]
                == [
                    "content": "1 WhatsAgent message waiting — call check_messages",
                    "meta": ["count": "1", "message_ids": "m-1", "kinds": "direct", "from": "web:ui", "thread_id": "m-1", "kind": "direct"],
                ]
        )
        #expect(call?["id"] == 2)
        #expect(
            call?["result"]
                == [
                    "content": [["type": "text", "text": "1 message from web:ui"]],
                    "structuredContent": ["text": "1 message from web:ui"],
                    "isError": false,
                ]
        )
        #expect(ack == "lease-e2e")
        #expect(code == 0)
        #expect(closed != nil)  // leaving closed the events stream: the agent goes offline
    }
}

/// Reads JSON lines from a pipe on a thread of its own (blocking reads), parsed.
private final class LineReader: Sendable {
    private let lines: AsyncStream<Data>

    init(_ handle: FileHandle) {
        let (lines, continuation) = AsyncStream<Data>.makeStream()
        self.lines = lines
        Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return continuation.finish() }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(Data(pending[pending.startIndex..<newline]))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
        }.start()
    }

    func next() async throws -> JSONValue? {
        var iterator = self.lines.makeAsyncIterator()
        guard let line = await iterator.next() else { return nil }
        return try WireJSON.decoder().decode(JSONValue.self, from: line)
    }
}
