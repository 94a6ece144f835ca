import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import WhatsAgentAPI

/// Refuses, on the TCP listener's raw HTTP/1 request heads, what the conversion to `HTTPRequest` would hide from every
/// later check (issue 14):
/// - an absolute-form target (`GET http://other.example/api/v1/status HTTP/1.1`) or `*`: the conversion keeps only the
///   path, so a foreign authority in the request line would pass unseen;
/// - more than one `Host` header: the conversion moves the first into `:authority` and keeps the others as fields,
///   so different checks would read different hosts.
/// Either answers 400 with the JSON error envelope and closes the connection. Sits right after the HTTP decoder. Once a
/// request asking for a WebSocket upgrade has passed, it lets everything through untouched: after the upgrade the
/// pipeline carries frames, not HTTP parts (the path check in ``RequestTargetGuardMiddleware`` still runs per request).
final class RawRequestLineGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private enum State {
        case checking
        case refused
        case passing
    }

    private var state = State.checking

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .passing:
            context.fireChannelRead(data)
        case .refused:
            return
        case .checking:
            guard case .head(let head) = self.unwrapInboundIn(data) else {
                context.fireChannelRead(data)
                return
            }
            if let problem = Self.problem(head) {
                self.state = .refused
                self.refuse(context: context, problem: problem)
                return
            }
            if head.headers.contains(name: "upgrade") { self.state = .passing }
            context.fireChannelRead(data)
        }
    }

    /// What is wrong with a raw request head, or nil.
    static func problem(_ head: HTTPRequestHead) -> String? {
        if !head.uri.hasPrefix("/") {
            return "the request target must be a path starting with '/', not an absolute URL or '*'"
        }
        if head.headers["Host"].count > 1 {
            return "the request carries more than one Host header"
        }
        return nil
    }

    private func refuse(context: ChannelHandlerContext, problem: String) {
        let body = (try? WireJSON.encoder().encode(APIErrorBody(code: "invalid_request", message: problem))) ?? Data()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: written)
    }
}

/// A server child channel with ``RawRequestLineGuard`` inserted right after the HTTP/1 request decoder of `base`.
struct RawRequestGuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        self.base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(RawRequestLineGuard(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}
