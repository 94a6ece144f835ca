import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// A server child channel that puts a ``ConnectionGuard`` in front of another one's HTTP/1 pipeline, so the cap and the
/// deadlines apply from the moment a connection is accepted, before any HTTP is decoded, and a ``RequestPhaseHandler``
/// right after its request decoder to report the requests.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let inner: Inner.Value
        let outcome: ConnectionOutcome
        var channel: any Channel { self.inner.channel }
    }

    let inner: Inner
    let counter: ConnectionCounter
    /// Copied for each connection.
    let timeouts: ConnectionTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let outcome = ConnectionOutcome()
        do {
            let handler = ConnectionGuard(counter: self.counter, timeouts: self.timeouts, outcome: outcome)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return self.inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(RequestPhaseHandler(), position: .after(decoder))
            return Value(inner: value, outcome: outcome)
        }
    }

    func handle(value: Value, logger: Logger) async {
        var connectionLogger = logger
        connectionLogger.handler = GuardedConnectionLogHandler(wrapped: logger.handler, outcome: value.outcome)
        await self.inner.handle(value: value.inner, logger: connectionLogger)
    }
}

extension HTTPServerBuilder {
    /// The web listener's HTTP/1 with WebSocket upgrades through `webSocketRouter` (as
    /// `.http1WebSocketUpgrade(webSocketRouter:)`): every connection behind a ``ConnectionGuard`` (at most `counter.cap`
    /// at once, the header and idle deadlines of `timeouts`) and a ``RawRequestLineGuard``. Hummingbird's own idle
    /// timeout, set to the same `idle`, closes a request whose body stalls.
    static func limitedHTTP1WebSocketUpgrade(
        webSocketRouter: Router<APIRequestContext>,
        webSocket: WebSocketServerConfiguration,
        counter: ConnectionCounter,
        timeouts: ConnectionTimeouts
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: timeouts.idle), ws: webSocket)
        return HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: RawRequestGuardedChannel(
                    base: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration)
                ),
                counter: counter,
                timeouts: timeouts
            )
        }
    }
}
