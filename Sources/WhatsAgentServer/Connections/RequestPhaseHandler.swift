import NIOCore
import NIOHTTP1

/// Sits right after the HTTP/1 request decoder of a TCP connection and tells the ``ConnectionGuard`` in front of the
/// decoder when a request head arrives and when the last in-flight response has been written, so the guard can run
/// the idle deadline and the next request's header deadline. Once a `101 Switching Protocols` goes out the connection
/// carries WebSocket frames, not HTTP parts: from then on it passes everything through and reports nothing, so a
/// WebSocket never gets a deadline from the guard.
final class RequestPhaseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Requests whose head arrived and whose response is not fully written yet.
    private var inFlight = 0
    private var upgraded = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !self.upgraded, case .head = self.unwrapInboundIn(data) {
            self.inFlight += 1
            context.triggerUserOutboundEvent(ConnectionGuard.Signal.requestHead, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !self.upgraded else {
            context.write(data, promise: promise)
            return
        }
        switch self.unwrapOutboundIn(data) {
        case .head(let head):
            self.upgraded = head.status == .switchingProtocols
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            guard self.inFlight > 0 else { return }
            self.inFlight -= 1
            if self.inFlight == 0 {
                context.triggerUserOutboundEvent(ConnectionGuard.Signal.responseFinished, promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension RequestPhaseHandler: Sendable {}
