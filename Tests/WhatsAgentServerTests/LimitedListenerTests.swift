import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WhatsAgentCore

@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

/// The web listener as the daemon builds it (``HTTPServerBuilder/limitedHTTP1WebSocketUpgrade``), live on port 0 with
/// a cap of 2 and 1 s deadlines, driven over raw TCP (issue 14).
@Suite struct LimitedListenerTests {
    /// Bytes a raw connection received, filled on its event loop and read by the test.
    final class Received: Sendable {
        private let bytes = Mutex<[UInt8]>([])

        func append(_ buffer: ByteBuffer) { self.bytes.withLock { $0 += Array(buffer.readableBytesView) } }

        var text: String { self.bytes.withLock { String(decoding: $0, as: UTF8.self) } }
    }

    /// Collects what the server sends; writes `first` the moment the connection is up, from the event loop (a test
    /// task on a loaded machine may resume later than the server's 3 s header deadline).
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: Received
        let first: String?

        init(_ received: Received, first: String?) {
            self.received = received
            self.first = first
        }

        func channelActive(context: ChannelHandlerContext) {
            if let first = self.first { context.writeAndFlush(NIOAny(ByteBuffer(string: first)), promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.received.append(self.unwrapInboundIn(data))
        }
    }

    /// A plain TCP connection to the listener.
    struct RawConnection {
        let channel: any NIOCore.Channel
        let received: Received

        /// Connects; `first`, when given, is sent as soon as the connection is up.
        static func open(port: Int, sending first: String? = nil) async throws -> RawConnection {
            let received = Received()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(received, first: first)) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            return RawConnection(channel: channel, received: received)
        }

        /// True once the server closed the connection, false if it is still open after `seconds` (then it is closed
        /// here).
        func closedByServer(within seconds: Double) async -> Bool {
            let channel = self.channel
            let closed = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await channel.closeFuture.get()) != nil }
                group.addTask {
                    try? await Task.sleep(for: .seconds(seconds))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                if !first { channel.close(promise: nil) }
                return first
            }
            return closed
        }
    }

    static func health(port: Int) -> String { "GET /health HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n" }

    /// The listener with `cap` and 1 s deadlines; `body` gets its port and the services behind it.
    func withLimitedListener(cap: Int = 2, _ body: @escaping @Sendable (Int, DaemonServices) async throws -> Void) async throws {
        let workspaces = WorkspaceService(
            storage: .inMemory,
            registry: try DaemonDatabase.inMemory(),
            stores: SQLiteStoreFactory(),
            logger: quietLogger
        )
        let services = DaemonServices(
            workspaces: workspaces,
            state: DaemonState(startedAt: Date(timeIntervalSince1970: 1_800_000_000), url: "http://127.0.0.1:1"),
            home: HomeLayout(root: "/tmp/wa-test-home"),
            version: "9.9.9",
            executablePath: "/usr/bin/whatsagent",
            passwordHasher: BcryptPasswordHasher(testingCost: 4)
        )
        let bound = BoundPort(0)
        let router = buildWebRouter(services: services, security: WebSecurityPolicy(configuration: DaemonConfiguration(), port: bound))
        let app = Application(
            router: router,
            server: .limitedHTTP1WebSocketUpgrade(
                webSocketRouter: router,
                webSocket: .init(),
                counter: ConnectionCounter(cap: cap, logger: quietLogger),
                timeouts: ConnectionTimeouts(header: .seconds(3), idle: .seconds(3))
            ),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: quietLogger
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            bound.set(port)
            try await body(port, services)
        }
    }

    // MARK: Tests

    @Test func aConnectionThatSendsNothingIsClosedAtTheHeaderDeadline() async throws {
        try await self.withLimitedListener { port, _ in
            let silent = try await RawConnection.open(port: port)

            let closed = await silent.closedByServer(within: 60)

            #expect(closed)
            #expect(silent.received.text.isEmpty)
        }
    }

    @Test func partialHeadersAreClosedAtTheHeaderDeadline() async throws {
        try await self.withLimitedListener { port, _ in
            let slow = try await RawConnection.open(port: port, sending: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")

            let closed = await slow.closedByServer(within: 60)

            #expect(closed)
            #expect(slow.received.text.isEmpty)
        }
    }

    @Test func aKeptAliveConnectionIsAnsweredThenClosedWhenIdle() async throws {
        try await self.withLimitedListener { port, _ in
            let kept = try await RawConnection.open(port: port, sending: Self.health(port: port))

            let closed = await kept.closedByServer(within: 60)

            #expect(closed)
            #expect(kept.received.text.hasPrefix("HTTP/1.1 200 "))
        }
    }

    @Test func pastTheCapAConnectionIsRefusedWith503() async throws {
        try await self.withLimitedListener(cap: 2) { port, _ in
            var connections: [RawConnection] = []
            for _ in 0..<3 { connections.append(try await RawConnection.open(port: port)) }

            // At least one is refused at once (the test client may hold a slot too, and which one is refused depends on
            // the order in which the event loops activate them); the served ones end at their header deadline.
            for connection in connections { #expect(await connection.closedByServer(within: 60)) }

            let answers = connections.map(\.received.text)
            let refused = answers.filter { $0.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n") }
            #expect(!refused.isEmpty)
            #expect(refused.allSatisfy { $0.contains(#""code":"too_many_connections""#) })
            #expect(refused.count + answers.filter(\.isEmpty).count == 3)
            let later = try await RawConnection.open(port: port, sending: Self.health(port: port))
            #expect(await later.closedByServer(within: 60))
            #expect(later.received.text.hasPrefix("HTTP/1.1 200 "), "the slots are free again")
        }
    }
}
