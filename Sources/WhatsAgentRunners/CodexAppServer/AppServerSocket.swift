import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The transport of Codex's app-server on a Unix socket (`codex app-server --listen unix://PATH`, 0.147): an HTTP/1.1
/// WebSocket upgrade on the socket, then one JSON-RPC message per text frame (docs/codex-app-server.md). Answers
/// pings; joins fragmented text frames.
final class AppServerSocket: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case notUpgraded

        var description: String { "the app-server refused the WebSocket upgrade" }
    }

    private enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    private let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    private init(channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) {
        self.channel = channel
    }

    /// Connects to the socket at `path` and upgrades to WebSocket.
    static func connect(path: String) async throws -> AppServerSocket {
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 24) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            .websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "localhost")
                    headers.add(name: "Content-Length", value: "0")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { .refused } }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration)
                    )
                }
            }
        switch try await upgrade.get() {
        case .websocket(let channel): return AppServerSocket(channel: channel)
        case .refused: throw Failure.notUpgraded
        }
    }

    /// Reads every text message until the connection ends, handing each to `receive`; returns when it ended.
    func run(_ receive: @Sendable (String) async -> Void) async {
        var partial: ByteBuffer?
        do {
            for try await frame in self.channel.inbound {
                switch frame.opcode {
                case .text:
                    if frame.fin { await receive(String(buffer: frame.unmaskedData)) } else { partial = frame.unmaskedData }
                case .continuation:
                    guard var buffer = partial else { continue }
                    var data = frame.unmaskedData
                    buffer.writeBuffer(&data)
                    if frame.fin {
                        partial = nil
                        await receive(String(buffer: buffer))
                    } else {
                        partial = buffer
                    }
                case .ping:
                    try await self.channel.outbound.write(
                        WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
                    )
                case .connectionClose:
                    try? await self.channel.outbound.write(
                        WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: ByteBuffer())
                    )
                    return
                default: continue
                }
            }
        } catch {
            return
        }
    }

    func send(text: String) async throws {
        try await self.channel.outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
    }

    func close() async {
        self.channel.outbound.finish()
        try? await self.channel.channel.close()
    }
}
