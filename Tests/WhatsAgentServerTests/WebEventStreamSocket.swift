import Foundation
import NIOCore
import NIOPosix

/// A bare WebSocket client for the event stream tests: it writes the upgrade request byte for byte (so `Host`,
/// `Origin` and the cookie are exactly what a browser on the daemon's page sends, or deliberately not), reads the
/// answer, then server frames. Enough of RFC 6455 for text, ping and close frames.
struct EventStreamSocket {
    /// What a frame or the end of the connection was.
    enum Frame: Equatable {
        case text(String)
        case close(code: UInt16?)
        /// The connection ended without a close frame.
        case ended
    }

    /// The upgrade's answer: 101 and the open socket, or the refusal's status and body.
    enum Answer {
        case open(Session)
        case refused(status: Int, body: String)
    }

    struct Timeout: Error {}

    /// One open WebSocket; only valid inside the `connect` body.
    final class Session: @unchecked Sendable {
        private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        private var pending: [UInt8]
        /// Where the unread part of `pending` starts.
        private var offset = 0

        init(
            iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
            outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
            pending: [UInt8]
        ) {
            self.iterator = iterator
            self.outbound = outbound
            self.pending = pending
        }

        /// The next text or close frame (pings are answered), failing after `seconds`.
        func next(within seconds: Double = 10) async throws -> Frame {
            try await withThrowingTaskGroup(of: Frame?.self) { group in
                group.addTask { try await self.readFrame() }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw Timeout() }
                return first
            }
        }

        /// Text frames until one satisfies `match` (others are skipped), as JSON objects.
        func nextEvent(within seconds: Double = 10, where match: ([String: Any]) -> Bool) async throws -> [String: Any] {
            let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
            while ContinuousClock.now < deadline {
                let remaining = Double((deadline - ContinuousClock.now).components.seconds) + 0.5
                guard case .text(let text) = try await self.next(within: remaining) else { throw Timeout() }
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
                if match(object) { return object }
            }
            throw Timeout()
        }

        /// Sends a masked text frame.
        func send(text: String) async throws {
            try await self.write(opcode: 0x1, payload: Array(text.utf8))
        }

        private func write(opcode: UInt8, payload: [UInt8]) async throws {
            var frame: [UInt8] = [0x80 | opcode]
            if payload.count < 126 {
                frame.append(0x80 | UInt8(payload.count))
            } else {
                frame.append(0x80 | 126)
                frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
            }
            let mask: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
            frame += mask
            frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
            try await self.outbound.write(ByteBuffer(bytes: frame))
        }

        private func fill(_ count: Int) async throws -> Bool {
            while self.pending.count - self.offset < count {
                guard var buffer = try await self.iterator.next() else { return false }
                if self.offset > 0 {
                    self.pending.removeFirst(self.offset)
                    self.offset = 0
                }
                self.pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            return true
        }

        private func byte(_ index: Int) -> UInt8 { self.pending[self.offset + index] }

        private func readFrame() async throws -> Frame {
            while true {
                guard try await self.fill(2) else { return .ended }
                let opcode = self.byte(0) & 0x0F
                var length = Int(self.byte(1) & 0x7F)
                var header = 2
                if length == 126 {
                    guard try await self.fill(4) else { return .ended }
                    length = Int(self.byte(2)) << 8 | Int(self.byte(3))
                    header = 4
                } else if length == 127 {
                    guard try await self.fill(10) else { return .ended }
                    length = (2..<10).reduce(0) { $0 << 8 | Int(self.byte($1)) }
                    header = 10
                }
                guard try await self.fill(header + length) else { return .ended }
                let start = self.offset + header
                let payload = Array(self.pending[start..<(start + length)])
                self.offset += header + length
                switch opcode {
                case 0x1: return .text(String(decoding: payload, as: UTF8.self))
                case 0x8:
                    let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
                    try? await self.write(opcode: 0x8, payload: Array(payload.prefix(2)))
                    return .close(code: code)
                case 0x9: try await self.write(opcode: 0xA, payload: payload)
                default: continue
                }
            }
        }
    }

    /// Connects to `127.0.0.1:port`, sends the upgrade for `path` with `headers`, and runs `body` with the answer.
    static func connect<T: Sendable>(
        port: Int,
        path: String,
        headers: [(String, String)],
        _ body: @escaping @Sendable (Answer) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) {
            channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return try await channel.executeThenClose { inbound, outbound in
            var request = "GET \(path) HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            try await outbound.write(ByteBuffer(string: request + "\r\n"))
            var iterator = inbound.makeAsyncIterator()
            var received: [UInt8] = []
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            var headEnd: Int?
            while headEnd == nil {
                guard var buffer = try await iterator.next() else { break }
                received += buffer.readBytes(length: buffer.readableBytes) ?? []
                headEnd = Self.find(separator, in: received)
            }
            guard let headEnd else { return try await body(.refused(status: 0, body: "")) }
            let head = String(decoding: received[..<headEnd], as: UTF8.self)
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            var rest = Array(received[(headEnd + 4)...])
            guard status == 101 else {
                let length = Self.contentLength(head)
                while rest.count < length, var buffer = try await iterator.next() {
                    rest += buffer.readBytes(length: buffer.readableBytes) ?? []
                }
                return try await body(.refused(status: status, body: String(decoding: rest, as: UTF8.self)))
            }
            return try await body(.open(Session(iterator: iterator, outbound: outbound, pending: rest)))
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            return Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
