import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Idle HTTP/1.1 keep-alive connections to the daemon socket, reused by one client's requests.
///
/// `whatsagent mcp` makes every tool call and acknowledgement through one ``AgentClient``; opening and closing a
/// Unix-socket connection per request cost the daemon a connect, an accept and a close each time (SPEC §14
/// throughput, `docs/benchmarks.md`). A request takes an idle connection or opens a new one, so concurrent calls
/// each have their own; a connection goes back only after a complete response the daemon did not mark
/// `Connection: close`. A connection that failed, or that the daemon closed while idle, is never reused. A request
/// is repeated here only when nothing of it was written (the idle connection was found closed); if a reused
/// connection breaks mid-request the caller sees the same "connection broke" error as before, and decides
/// (`send_message` repeats with its idempotency key, SPEC §7.2).
public final class KeepAliveConnections: @unchecked Sendable {
    /// Idle connections kept at most; more concurrent requests still work, their connections are closed after use.
    public let maxIdle: Int
    private let lock = NSLock()
    private var idle: [KeepAliveConnection] = []

    public init(maxIdle: Int = 8) {
        self.maxIdle = maxIdle
    }

    deinit {
        for connection in self.idle { connection.channel.close(promise: nil) }
    }

    /// Closes the idle connections; later requests open new ones.
    public func closeIdle() {
        let connections = self.lock.withLock {
            defer { self.idle = [] }
            return self.idle
        }
        for connection in connections { connection.channel.close(promise: nil) }
    }

    /// An idle connection that is still open, if any.
    func take() -> KeepAliveConnection? {
        self.lock.withLock {
            while let connection = self.idle.popLast() {
                if connection.channel.isActive { return connection }
                connection.channel.close(promise: nil)
            }
            return nil
        }
    }

    /// Returns a connection after a complete keep-alive response; closes it when the pool is full.
    func put(_ connection: KeepAliveConnection) {
        let kept = self.lock.withLock {
            guard connection.channel.isActive, self.idle.count < self.maxIdle else { return false }
            self.idle.append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }
}

/// One open connection and the handler that collects its responses.
struct KeepAliveConnection: Sendable {
    let channel: any Channel
    let collector: NIOLoopBound<ResponseCollector>

    /// Writes one request and waits for its complete response.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer?) async throws -> (UnixSocketHTTPClient.Reply, keepAlive: Bool) {
        let channel = self.channel
        let collector = self.collector
        let response = channel.eventLoop.flatSubmit { () -> EventLoopFuture<ResponseCollector.Response> in
            // Closed by the daemon while idle (say, it stopped): nothing was written, so a new connection may retry.
            guard channel.isActive else { return channel.eventLoop.makeFailedFuture(StaleConnection()) }
            let promise = channel.eventLoop.makePromise(of: ResponseCollector.Response.self)
            collector.value.expect(promise)
            let written = channel.eventLoop.makePromise(of: Void.self)
            // The request goes out in one flush; a failed write (EPIPE: the daemon closed the idle connection) means
            // the daemon did not get it, so it is as stale as a connection found closed.
            written.futureResult.whenComplete { outcome in
                switch outcome {
                case .success: collector.value.written()
                case .failure: collector.value.fail(StaleConnection())
                }
            }
            let pipeline = channel.pipeline.syncOperations
            pipeline.write(NIOAny(HTTPClientRequestPart.head(head)), promise: nil)
            if let body { pipeline.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(body))), promise: nil) }
            pipeline.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: written)
            return promise.futureResult
        }
        let collected = try await response.get()
        return (UnixSocketHTTPClient.Reply(status: collected.status, body: collected.body), collected.keepAlive)
    }

    /// Opens a connection with the HTTP client codec and a ``ResponseCollector``.
    static func open(socketPath: String) async throws -> KeepAliveConnection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: socketPath) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let collector = ResponseCollector()
                    try channel.pipeline.syncOperations.addHandler(collector)
                    return KeepAliveConnection(channel: channel, collector: NIOLoopBound(collector, eventLoop: channel.eventLoop))
                }
            }
    }
}

/// A reused connection was found closed before the request was written.
struct StaleConnection: Error {}

/// Collects the parts of one response at a time into a ``Response`` (event-loop confined).
final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    struct Response: Sendable {
        var status: Int
        var body: Data
        var keepAlive: Bool
    }

    private var pending: EventLoopPromise<Response>?
    /// The pending request has been written completely.
    private var requestWritten = false
    private var status = 0
    private var keepAlive = false
    private var body = Data()

    func expect(_ promise: EventLoopPromise<Response>) {
        self.pending = promise
        self.requestWritten = false
        self.status = 0
        self.keepAlive = false
        self.body = Data()
    }

    func written() {
        self.requestWritten = true
    }

    func fail(_ error: any Error) {
        let pending = self.pending
        self.pending = nil
        pending?.fail(error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = Int(head.status.code)
            self.keepAlive = head.isKeepAlive
        case .body(let buffer):
            self.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            let pending = self.pending
            self.pending = nil
            let response = Response(status: self.status, body: self.body, keepAlive: self.keepAlive)
            self.body = Data()
            pending?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Closed before the request was out: the daemon never had it. After: whether it ran is unknown.
        self.fail(
            self.requestWritten
                ? ClientError.invalidResponse("the daemon closed the connection before the response ended") : StaleConnection()
        )
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A read error before the request was out (ECONNRESET: the daemon closed the idle connection while the
        // request waited to be flushed) means the daemon never had it, as with a close; after, the error stands.
        self.fail(self.requestWritten ? error : StaleConnection())
        context.close(promise: nil)
    }
}
