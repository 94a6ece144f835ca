import Foundation
import MCP
import WhatsAgentAPI

@testable import WhatsAgentMCP

/// What the test client received, in order.
enum ReceivedNotification: Equatable, Sendable {
    case channel(content: String, meta: [String: String])
    case toolsChanged
    case resourceUpdated(uri: String)
}

/// `notifications/claude/channel` as the test client decodes it (the literal method name, on purpose).
struct ChannelPush: MCP.Notification {
    static let name = "notifications/claude/channel"

    struct Parameters: Hashable, Codable, Sendable {
        var content: String
        var meta: [String: String]
    }
}

/// A connected MCP client, the fake daemon behind the server, and what the server sent and how it ended.
struct MCPTestSession: Sendable {
    let client: Client
    let backend: FakeAgentBackend
    let initialize: Initialize.Result
    let notifications: AsyncStream<ReceivedNotification>
    private let endings: AsyncStream<WhatsAgentMCPServer.Ending>

    init(
        client: Client,
        backend: FakeAgentBackend,
        initialize: Initialize.Result,
        notifications: AsyncStream<ReceivedNotification>,
        endings: AsyncStream<WhatsAgentMCPServer.Ending>
    ) {
        self.client = client
        self.backend = backend
        self.initialize = initialize
        self.notifications = notifications
        self.endings = endings
    }

    /// The next notification the client received.
    func nextNotification() async -> ReceivedNotification? {
        var iterator = self.notifications.makeAsyncIterator()
        return await iterator.next()
    }

    /// Waits for the server to stop by itself.
    func ending() async -> WhatsAgentMCPServer.Ending? {
        var iterator = self.endings.makeAsyncIterator()
        return await iterator.next()
    }

    /// The full `tools/call` result, `_meta` and structured content included (`callTool` drops them).
    func call(_ name: String, _ arguments: [String: Value]) async throws -> CallTool.Result {
        try await self.client.send(CallTool.request(.init(name: name, arguments: arguments))).value
    }
}

/// The server with test timings: no waits between retries or reconnections, and a start-up settle point that only
/// comes when `settle` opens (never, by default: no start-up mail hint is repeated).
func testServer(
    backend: FakeAgentBackend,
    makeMessageID: @escaping @Sendable () -> String = { UUID().uuidString },
    settle: Gate = Gate()
)
    -> WhatsAgentMCPServer
{
    WhatsAgentMCPServer(
        backend: backend,
        catalogue: .sample,
        makeMessageID: makeMessageID,
        backoff: EventPump.Backoff(initial: .zero, maximum: .zero),
        callRetryDelays: [.zero, .zero],
        ackRetryDelays: [.zero],
        settle: { await settle.wait() }
    )
}

/// Runs `server` over an in-memory transport pair with a connected, initialized `MCP.Client`, runs `body`, then
/// disconnects the client and waits for the server to finish.
func withMCPSession<Result: Sendable>(
    backend: FakeAgentBackend = FakeAgentBackend(),
    server: WhatsAgentMCPServer? = nil,
    _ body: (MCPTestSession) async throws -> Result
) async throws -> Result {
    let server = server ?? testServer(backend: backend)
    let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
    // Connected before the server task starts, so the client's first message is queued rather than dropped.
    try await serverTransport.connect()
    let (endings, ended) = AsyncStream<WhatsAgentMCPServer.Ending>.makeStream()
    let (notifications, received) = AsyncStream<ReceivedNotification>.makeStream()

    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            ended.yield(try await server.run(transport: serverTransport))
            ended.finish()
        }
        let client = Client(name: "whatsagent-tests", version: "1.0.0")
        await client.onNotification(ChannelPush.self) { message in
            received.yield(.channel(content: message.params.content, meta: message.params.meta))
        }
        await client.onNotification(ToolListChangedNotification.self) { _ in received.yield(.toolsChanged) }
        await client.onNotification(ResourceUpdatedNotification.self) { message in received.yield(.resourceUpdated(uri: message.params.uri)) }
        do {
            let initialize = try await client.connect(transport: clientTransport)
            let session = MCPTestSession(
                client: client,
                backend: backend,
                initialize: initialize,
                notifications: notifications,
                endings: endings
            )
            let result = try await body(session)
            await client.disconnect()
            try await group.waitForAll()
            return result
        } catch {
            await client.disconnect()
            group.cancelAll()
            throw error
        }
    }
}
