import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scripted HTTP/1.1 server on a Unix socket, standing in for the daemon in ``AgentClient`` tests.
///
/// One thread accepts connections; each gets a thread that parses the request and hands it to the test's handler,
/// which writes the response with blocking calls (and may block, say until the client closes the connection).
final class UnixSocketHTTPStub: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
    }

    let path: String
    /// Every request, as it arrives.
    let requests: AsyncStream<Request>
    private let listener: UnixSocketListener

    init(handler: @escaping @Sendable (Request, StubConnection) -> Void) throws {
        let listener = try UnixSocketListener(prefix: "wa-stub", backlog: 8)
        self.path = listener.path
        self.listener = listener

        let (requests, continuation) = AsyncStream<Request>.makeStream()
        self.requests = requests
        Thread {
            while true {
                guard let descriptor = listener.accept() else { return continuation.finish() }
                Thread {
                    let connection = StubConnection(descriptor: descriptor)
                    if let request = connection.readRequest() {
                        continuation.yield(request)
                        handler(request, connection)
                    }
                    close(descriptor)
                }.start()
            }
        }.start()
    }

    /// Stops accepting and removes the socket file.
    func stop() {
        self.listener.stop()
    }
}

/// One accepted connection, with blocking reads and writes.
struct StubConnection: Sendable {
    let descriptor: Int32

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(self.descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// A complete response with a body (none for 204).
    func respond(_ status: String, json: String = "") {
        let body = status.hasPrefix("204") ? "" : json
        let length = status.hasPrefix("204") ? "" : "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        self.send("HTTP/1.1 \(status)\r\n\(length)Connection: close\r\n\r\n\(body)")
    }

    /// The head of a chunked, newline-delimited stream.
    func startStream() {
        self.send("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    }

    func chunk(_ text: String) {
        self.send(String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n")
    }

    func endStream() {
        self.send("0\r\n\r\n")
    }

    /// Blocks until the client closes its side.
    func waitForClose() {
        var byte: UInt8 = 0
        while read(self.descriptor, &byte, 1) > 0 {}
    }

    func readRequest() -> UnixSocketHTTPStub.Request? {
        var data = Data()
        var byte: UInt8 = 0
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            guard read(self.descriptor, &byte, 1) == 1 else { return nil }
            data.append(byte)
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let requestLine = lines.first?.split(separator: " ").map(String.init) ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data()
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length, read(self.descriptor, &byte, 1) == 1 { body.append(byte) }
        return UnixSocketHTTPStub.Request(method: requestLine[0], path: requestLine[1], headers: headers, body: body)
    }
}
