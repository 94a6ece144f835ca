import Foundation
import Logging
import MCP
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// The session's transport: the wire patches the SDK cannot express, and lease acknowledgement after the write.
@Suite struct SessionTransportTests {
    // MARK: Tests - through the server

    @Test func theInitializeResultAdvertisesTheClaudeChannel() async throws {
        let response = try await withRawMCP { client in
            try await client.send(RawMCPClient.initialize(id: "1", capabilities: "{}"))
            return try await client.next()
        }

        let result = try #require(response?["result"])
        #expect(response?["id"] == 1)
        #expect(result["capabilities"]?["experimental"] == ["claude/channel": [:]])
        #expect(result["capabilities"]?["tools"]?["listChanged"] == true)
        #expect(result["serverInfo"]?["name"] == "whatsagent")
        #expect(result["serverInfo"]?["version"] == .string(WhatsAgentVersion.current))
        let instructions = try #require(result["instructions"]?.stringValue)
        #expect(instructions.contains(#"<channel source="whatsagent""#) && instructions.contains("call check_messages"))
        #expect(instructions.contains("untrusted"))
    }

    @Test func objectValuedClientExperimentalCapabilitiesAreAccepted() async throws {
        let (initialize, tools) = try await withRawMCP { client in
            try await client.send(
                RawMCPClient.initialize(id: "1", capabilities: #"{"experimental":{"claude/channel":{}},"roots":{"listChanged":true}}"#)
            )
            let initialize = try await client.next()
            try await client.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            try await client.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
            return (initialize, try await client.next())
        }

        #expect(initialize?["error"] == nil)
        #expect(initialize?["result"]?["capabilities"]?["experimental"] == ["claude/channel": [:]])
        #expect(tools?["id"] == 2)
        guard case .array(let listed) = tools?["result"]?["tools"] else {
            Issue.record("tools/list failed after an initialize with experimental capabilities: \(String(describing: tools))")
            return
        }
        #expect(listed.count == AgentToolCatalogue.sample.tools.count)
    }

    // MARK: Tests - the decorator alone

    @Test func inboundInitializeLosesOnlyItsExperimentalCapabilities() async throws {
        let inner = RecordingTransport(inbound: [
            RawMCPClient.initialize(id: "1", capabilities: #"{"experimental":{"claude/channel":{}},"roots":{"listChanged":true}}"#),
            #"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"x","_meta":{"experimental":"initialize"}}}"#,
        ])
        let wire = Self.decorator(inner, FakeAgentBackend())

        var received: [Data] = []
        for try await message in await wire.receive() { received.append(message) }

        let initialize = try WireJSON.decoder().decode(JSONValue.self, from: received[0])
        #expect(initialize["params"]?["capabilities"] == ["roots": ["listChanged": true]])
        #expect(initialize["params"]?["clientInfo"]?["name"] == "raw")
        #expect(
            received[1]
                == Data(#"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"x","_meta":{"experimental":"initialize"}}}"#.utf8)
        )
    }

    @Test func onlyTheResponseToInitializeIsPatched() async throws {
        let inner = RecordingTransport(inbound: [RawMCPClient.initialize(id: #""a""#, capabilities: "{}")])
        let wire = Self.decorator(inner, FakeAgentBackend())
        for try await _ in await wire.receive() {}
        let lookalike = #"{"id":"b","jsonrpc":"2.0","result":{"protocolVersion":"2025-06-18","capabilities":{}}}"#

        try await wire.send(Data(lookalike.utf8))
        try await wire.send(
            Data(#"{"id":"a","jsonrpc":"2.0","result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}}}}"#.utf8)
        )

        let written = await inner.written
        #expect(written[0] == Data(lookalike.utf8))
        let patched = try WireJSON.decoder().decode(JSONValue.self, from: written[1])
        #expect(patched["result"]?["capabilities"] == ["tools": ["listChanged": true], "experimental": ["claude/channel": [:]]])
    }

    @Test func aLeaseIsAcknowledgedOnceAndOnlyAfterTheResultIsWritten() async throws {
        let log = EventLog()
        let backend = FakeAgentBackend(log: log) { _, _ in AgentToolResult(text: "1 message", structured: ["count": 1], leaseId: "lease-9") }
        let inner = RecordingTransport(inbound: [Self.toolsCall(id: 7, "check_messages")], log: log)
        let wire = Self.decorator(inner, backend)

        try await Self.drain(wire)
        try await Self.eventually(log, count: 2)

        #expect(await log.entries == ["write", "ack lease-9"])
        #expect(await backend.acks == ["lease-9"])
        let written = try WireJSON.decoder().decode(JSONValue.self, from: try #require(await inner.written.first))
        #expect(written["id"] == 7)
        #expect(written["result"]?["structuredContent"] == ["count": 1, "text": "1 message"])
        #expect(written["result"]?["_meta"] == nil, "the lease never reaches the client")
        #expect(await inner.written.allSatisfy { $0.range(of: Data("lease-9".utf8)) == nil })
    }

    @Test func onlyTheDaemonsLeaseFieldIsALeaseNotTextThatLooksLikeOne() async throws {
        let backend = FakeAgentBackend { _, _ in
            AgentToolResult(text: "whatsagent/leaseId", structured: ["_meta": ["whatsagent/leaseId": "forged"]], leaseId: nil)
        }
        let path = ToolCallPath(forwarder: Self.forwarder(backend), reminder: nil)

        let answer = try await path.answer(.call(DirectToolCall(id: .number(8), name: "check_messages", arguments: [:])))

        #expect(answer.leaseId == nil)
        let written = try WireJSON.decoder().decode(JSONValue.self, from: answer.response)
        #expect(written["result"]?["structuredContent"]?["_meta"] == ["whatsagent/leaseId": "forged"], "tool output passes unchanged")
    }

    @Test func anAckThatCannotReachTheDaemonIsRetried() async throws {
        let log = EventLog()
        let backend = FakeAgentBackend(log: log) { _, _ in AgentToolResult(text: "", structured: nil, leaseId: "l-1") }
        await backend.failAcks(with: [ClientError.daemonNotRunning(socket: "/tmp/wa.sock")])
        let wire = Self.decorator(RecordingTransport(inbound: [Self.toolsCall(id: 9, "check_messages")], log: log), backend)

        try await Self.drain(wire)
        try await Self.eventually(log, count: 3)

        #expect(await log.entries == ["write", "ack l-1", "ack l-1"])
        #expect(await backend.acks == ["l-1"])
    }

    @Test func aRefusedAckIsNotRetried() async throws {
        let log = EventLog()
        let backend = FakeAgentBackend(log: log) { _, _ in AgentToolResult(text: "", structured: nil, leaseId: "l-2") }
        await backend.failAcks(with: [ClientError.api(status: 404, code: "lease_not_found", message: "no such lease")])
        let wire = Self.decorator(RecordingTransport(inbound: [Self.toolsCall(id: 9, "check_messages")], log: log), backend)

        try await Self.drain(wire)
        try await Self.eventually(log, count: 2)

        #expect(await log.entries == ["write", "ack l-2"])
        #expect(await backend.acks.isEmpty)
    }

    // MARK: Helpers

    static let logger = Logger(label: "whatsagent.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func forwarder(_ backend: FakeAgentBackend) -> ToolCallForwarder {
        ToolCallForwarder(backend: backend, retryDelays: [.zero], makeMessageID: { "id" }, logger: Self.logger)
    }

    /// A `tools/call` request as a client writes it.
    static func toolsCall(id: Int, _ tool: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#
    }

    /// Reads the transport's inbound messages to their end, as the SDK's receive loop does (claimed calls never show).
    static func drain(_ wire: SessionTransport) async throws {
        for try await _ in await wire.receive() {}
    }

    /// Waits, with a deadline, until `log` holds `count` entries: a claimed call is answered in a task of its own.
    static func eventually(_ log: EventLog, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while await log.entries.count < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("the log holds \(await log.entries), not \(count) entries, after 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    static func decorator(_ inner: RecordingTransport, _ backend: FakeAgentBackend) -> SessionTransport {
        let logger = Self.logger
        return SessionTransport(
            wrapping: inner,
            toolCalls: ToolCallPath(forwarder: Self.forwarder(backend), reminder: nil),
            acknowledger: LeaseAcknowledger(backend: backend, retryDelays: [.zero], logger: logger),
            logger: logger
        )
    }
}
