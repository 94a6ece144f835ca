import Foundation
import MCP
import WhatsAgentAPI

@testable import WhatsAgentMCP

/// A client that speaks raw JSON-RPC lines to the server, to see exactly what goes over the wire.
struct RawMCPClient: Sendable {
    let transport: InMemoryTransport
    let messages: AsyncThrowingStream<Data, any Error>

    func send(_ json: String) async throws {
        try await self.transport.send(Data(json.utf8))
    }

    /// The next message from the server, parsed.
    func next() async throws -> JSONValue? {
        var iterator = self.messages.makeAsyncIterator()
        guard let data = try await iterator.next() else { return nil }
        return try WireJSON.decoder().decode(JSONValue.self, from: data)
    }

    /// An `initialize` request; `id` is raw JSON (`1`, `"a"`).
    static func initialize(id: String, capabilities: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":\#(capabilities),"clientInfo":{"name":"raw","version":"1"}}}"#
    }
}

/// Runs the server against a ``RawMCPClient``; disconnects it after `body`.
func withRawMCP<Result: Sendable>(
    backend: FakeAgentBackend = FakeAgentBackend(),
    _ body: (RawMCPClient) async throws -> Result
) async throws -> Result {
    let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
    try await serverTransport.connect()
    try await clientTransport.connect()
    let server = testServer(backend: backend)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { _ = try await server.run(transport: serverTransport) }
        let raw = RawMCPClient(transport: clientTransport, messages: await clientTransport.receive())
        do {
            let result = try await body(raw)
            await clientTransport.disconnect()
            try await group.waitForAll()
            return result
        } catch {
            await clientTransport.disconnect()
            group.cancelAll()
            throw error
        }
    }
}
