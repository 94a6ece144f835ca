import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A plain WebSocket client (RFC 6455 over NIO, no browser) for the tests and `make bench` that sends exactly the headers a browser on the daemon's
/// page sends: `Host`, `Origin` and the session cookie. Answers pings; hands out text, binary and close frames.
public final class WebSocketProbe: @unchecked Sendable {
    public enum Frame: Equatable, Sendable {
        case text(String)
        case binary([UInt8])
        case close(code: UInt16?, reason: String)
    }

    public enum Failure: Error, CustomStringConvertible {
        case notUpgraded(HTTPResponseStatus?)
        case closed

        public var description: String {
            switch self {
            case .notUpgraded(let status): "the upgrade was refused (\(status.map { "\($0.code)" } ?? "no answer"))"
            case .closed: "the WebSocket closed"
            }
        }
    }

    private enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused(HTTPResponseStatus?)
    }

    private let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    private var inbound: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>

    private init(channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) throws {
        self.channel = channel
        // The channel stays open until `close()`: its halves are used directly instead of `executeThenClose`.
        self.inbound = channel.inbound.makeAsyncIterator()
        self.outbound = channel.outbound
    }

    /// Connects to `ws://host:port` + `path` (the port from `base`, `http://127.0.0.1:PORT`).
    public static func connect(base: String, path: String, cookie: String?, origin: String? = nil) async throws -> WebSocketProbe {
        let url = URL(string: base)
        let host = url?.host ?? "127.0.0.1"
        let port = url?.port ?? 80
        let authority = "\(host):\(port)"
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 24) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: authority)
                    headers.add(name: "Origin", value: origin ?? "http://\(authority)")
                    if let cookie { headers.add(name: "Cookie", value: cookie) }
                    headers.add(name: "Content-Length", value: "0")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture { .refused(nil) }
                        }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration)
                    )
                }
            }
        switch try await upgrade.get() {
        case .websocket(let channel): return try WebSocketProbe(channel: channel)
        case .refused(let status): throw Failure.notUpgraded(status)
        }
    }

    public func send(binary bytes: [UInt8]) async throws {
        try await self.outbound.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(bytes: bytes)))
    }

    public func send(text: String) async throws {
        try await self.outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
    }

    /// The next text, binary or close frame (pings are answered on the way); nil when the connection ended.
    public func next() async throws -> Frame? {
        while let frame = try await self.inbound.next() {
            var data = frame.unmaskedData
            switch frame.opcode {
            case .text: return .text(String(buffer: data))
            case .binary: return .binary(Array(data.readableBytesView))
            case .connectionClose:
                let code = data.readInteger(as: UInt16.self)
                // Answer the close, as a browser does.
                let answer = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: ByteBuffer())
                try? await self.outbound.write(answer)
                return .close(code: code, reason: String(buffer: data))
            case .ping:
                try await self.outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
            default: continue
            }
        }
        return nil
    }

    /// Sends a close frame (1000) and closes the connection.
    public func close() async {
        var payload = ByteBuffer()
        payload.writeInteger(UInt16(1000))
        try? await self.outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload))
        self.outbound.finish()
        try? await self.channel.channel.close()
    }

    /// Drops the TCP connection without a close frame (a tab that vanished).
    public func drop() async {
        try? await self.channel.channel.close()
    }
}
