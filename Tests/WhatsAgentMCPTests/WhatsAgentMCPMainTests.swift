import Foundation
import MCP
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// `whatsagent mcp` start-up: the session environment and the token check come before any serving.
@Suite struct WhatsAgentMCPMainTests {
    @Test func refusesToStartWithoutTheSessionEnvironment() async {
        var lines: [String] = []
        var connected = false

        let code = await WhatsAgentMCPMain.run(
            environment: [SessionEnvironment.socket: "/tmp/wa.sock"],
            report: { lines.append($0) },
            connect: { _, _ in
                connected = true
                return FakeAgentBackend()
            },
            transport: { InMemoryTransport() }
        )

        #expect(code == 1)
        #expect(!connected)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("needs WHATSAGENT_SESSION_TOKEN") == true)
        #expect(lines.first?.contains("`whatsagent agent connect`") == true)
    }

    @Test func aDeadTokenStopsItBeforeServing() async {
        var lines: [String] = []
        var served = false
        let backend = RefusingBackend(error: ClientError.api(status: 401, code: "invalid_token", message: "unknown session token"))

        let code = await WhatsAgentMCPMain.run(
            environment: [SessionEnvironment.socket: "/tmp/wa.sock", SessionEnvironment.token: "forged"],
            report: { lines.append($0) },
            connect: { _, _ in backend },
            transport: {
                served = true
                return InMemoryTransport()
            }
        )

        #expect(code == 1)
        #expect(!served)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("refused WHATSAGENT_SESSION_TOKEN") == true)
    }

    @Test func servesUntilTheClientClosesAndExitsZero() async throws {
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await serverTransport.connect()
        let environment = [SessionEnvironment.socket: "/tmp/wa.sock", SessionEnvironment.token: "good"]
        let received = Locked<[String]>([])

        async let code = WhatsAgentMCPMain.run(
            environment: environment,
            report: { _ in },
            connect: { socket, token in
                received.withLock { $0 = [socket, token] }
                return FakeAgentBackend()
            },
            transport: { serverTransport }
        )
        let client = Client(name: "whatsagent-tests", version: "1.0.0")
        try await client.connect(transport: clientTransport)
        let tools = try await client.listTools().tools
        await client.disconnect()

        #expect(await code == 0)
        #expect(received.withLock { $0 } == ["/tmp/wa.sock", "good"])
        #expect(tools.count == AgentToolCatalogue.sample.tools.count)
    }
}

/// A daemon that refuses everything with one error.
struct RefusingBackend: AgentBackend {
    let error: any Error

    func tools() async throws -> AgentToolCatalogue { throw self.error }
    func call(_ name: String, arguments: JSONValue) async throws -> AgentToolResult { throw self.error }
    func ack(leaseId: String) async throws { throw self.error }
    func inbox() async throws -> AgentInboxResponse { throw self.error }
    func setInboxSubscription(_ subscribed: Bool) async throws { throw self.error }
    func events() -> AsyncThrowingStream<AgentEvent, any Error> { AsyncThrowingStream { $0.finish(throwing: self.error) } }
}
