import Foundation
import NIOCore
import NIOHTTP1
import WhatsAgentAPI

extension UnixSocketHTTPClient {
    /// Sends one request whose response is a long-lived stream of newline-delimited records (the agent events stream),
    /// handing each non-empty line to `onLine` as soon as it has arrived.
    ///
    /// Returns when the daemon ends the response or closes the connection (a daemon restart looks like this too).
    /// Cancelling the calling task closes the connection: that is how a consumer says it is gone.
    /// - Throws: ``ClientError/api(status:code:message:)`` for a non-2xx response with the error envelope,
    ///   ``ClientError/daemonNotRunning(socket:)`` when nothing listens, `CancellationError` when cancelled.
    public func streamLines(method: String, path: String, onLine: (Data) async throws -> Void) async throws {
        let channel = try await self.connect()
        try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Accept", value: "application/x-ndjson")
            for (name, value) in self.headers { head.headers.add(name: name, value: value) }
            // One write, so a refusal answered (and closed) right after the head cannot beat the `.end`.
            try await outbound.write(contentsOf: [.head(head), .end(nil)])

            var status = 0
            var pending = ByteBuffer()
            var refusal = Data()
            for try await part in inbound {
                switch part {
                case .head(let responseHead):
                    status = Int(responseHead.status.code)
                case .body(var buffer) where (200..<300).contains(status):
                    pending.writeBuffer(&buffer)
                    while let line = Self.nextLine(in: &pending) {
                        try await onLine(line)
                    }
                case .body(let buffer):
                    refusal.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard (200..<300).contains(status) else { throw ClientError.refusal(status: status, body: refusal) }
                    if let last = Self.remainder(of: &pending) { try await onLine(last) }
                    return
                }
            }
            // The connection closed without the end of the response: for a stream that is how it ends.
            guard (200..<300).contains(status) else { throw ClientError.refusal(status: status, body: refusal) }
        }
    }

    /// Takes the next complete line (without its `\n` or `\r\n`) off `buffer`; nil until one is complete.
    /// Empty lines (keep-alives) are skipped.
    static func nextLine(in buffer: inout ByteBuffer) -> Data? {
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readableBytesView.startIndex
            let bytes = buffer.readBytes(length: length) ?? []
            buffer.moveReaderIndex(forwardBy: 1)
            buffer.discardReadBytes()
            let line = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
            if !line.isEmpty { return Data(line) }
        }
        return nil
    }

    /// What is left after the last newline, when the stream ends without one.
    static func remainder(of buffer: inout ByteBuffer) -> Data? {
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else { return nil }
        return Data(bytes)
    }
}

extension ClientError {
    /// The error for a non-2xx response: the daemon's error envelope when it sent one.
    static func refusal(status: Int, body: Data) -> ClientError {
        if let envelope = try? WireJSON.decoder().decode(APIErrorBody.self, from: body) {
            return .api(status: status, code: envelope.error.code, message: envelope.error.message)
        }
        return .invalidResponse("HTTP \(status)")
    }
}
