import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client over a Unix domain socket (the daemon's `daemon.sock`). One connection per request, or
/// reused keep-alive connections when it has ``KeepAliveConnections`` (the agent client of `whatsagent mcp`).
public struct UnixSocketHTTPClient: Sendable {
    /// A complete response.
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
    }

    public let socketPath: String
    public var headers: [(String, String)]
    /// Idle connections to reuse; nil opens a connection per request and closes it after the response.
    public let connections: KeepAliveConnections?

    public init(socketPath: String, headers: [(String, String)] = [], connections: KeepAliveConnections? = nil) {
        self.socketPath = socketPath
        self.headers = headers
        self.connections = connections
    }

    /// Sends one request and reads the whole response.
    /// - Throws: ``ClientError/daemonNotRunning(socket:)`` when nothing listens on the socket.
    public func send(method: String, path: String, body: Data? = nil) async throws -> Reply {
        if let connections = self.connections {
            return try await self.send(method: method, path: path, body: body, reusing: connections)
        }
        let channel = try await self.connect()
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Accept", value: "application/json")
            for (name, value) in self.headers { head.headers.add(name: name, value: value) }
            if let body {
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.count))
            }
            // One write: a daemon that answers and closes right after the head must not find `.end` still unsent.
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)

            var status = 0
            var data = Data()
            for try await part in inbound {
                switch part {
                case .head(let responseHead): status = Int(responseHead.status.code)
                case .body(let buffer): data.append(contentsOf: buffer.readableBytesView)
                case .end: return Reply(status: status, body: data)
                }
            }
            throw ClientError.invalidResponse("the daemon closed the connection before the response ended")
        }
    }

    /// One request over a reused (or new) keep-alive connection; the connection goes back to `connections` only
    /// after a complete response that keeps it alive. A broken exchange is not repeated (see ``KeepAliveConnections``).
    private func send(method: String, path: String, body: Data?, reusing connections: KeepAliveConnections) async throws -> Reply {
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
        head.headers.add(name: "Host", value: "localhost")
        head.headers.add(name: "Accept", value: "application/json")
        for (name, value) in self.headers { head.headers.add(name: name, value: value) }
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        } else if method != "GET" {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let buffer = body.map { ByteBuffer(bytes: $0) }
        if let idle = connections.take() {
            do {
                return try await Self.exchange(head, body: buffer, on: idle, returningTo: connections)
            } catch is StaleConnection {
                // Nothing was written: a fresh connection below is safe.
            }
        }
        let connection = try await self.connecting { try await KeepAliveConnection.open(socketPath: self.socketPath) }
        do {
            return try await Self.exchange(head, body: buffer, on: connection, returningTo: connections)
        } catch is StaleConnection {
            throw ClientError.invalidResponse("the daemon closed the connection before the request was sent")
        }
    }

    private static func exchange(
        _ head: HTTPRequestHead,
        body: ByteBuffer?,
        on connection: KeepAliveConnection,
        returningTo connections: KeepAliveConnections
    ) async throws -> Reply {
        do {
            let (reply, keepAlive) = try await connection.exchange(head, body: body)
            if keepAlive { connections.put(connection) } else { connection.channel.close(promise: nil) }
            return reply
        } catch {
            connection.channel.close(promise: nil)
            throw error
        }
    }

    /// Opens one HTTP/1.1 connection (internal: the streaming extension in another file uses it too).
    func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await self.connecting {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: self.socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel
                        )
                    }
                }
        }
    }

    /// Runs `open`, again while the daemon's accept queue is full (`EAGAIN`: a burst of connections, the daemon busy
    /// for a moment), for at most about a second.
    private func retryingWhileTheQueueIsFull<Connection>(_ open: () async throws -> Connection) async throws -> Connection {
        var attempt = 0
        while true {
            do {
                return try await open()
            } catch let error as IOError where error.errnoCode == EAGAIN && attempt < 50 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Runs `open` with the socket's failures mapped to ``ClientError`` (not running, permission denied).
    private func connecting<Connection>(_ open: () async throws -> Connection) async throws -> Connection {
        guard FileManager.default.fileExists(atPath: self.socketPath) else {
            throw ClientError.daemonNotRunning(socket: self.socketPath)
        }
        do {
            return try await self.retryingWhileTheQueueIsFull(open)
        } catch let error as IOError where [ECONNREFUSED, ENOENT].contains(error.errnoCode) {
            throw ClientError.daemonNotRunning(socket: self.socketPath)
        } catch {
            let text = "\(error)"
            if text.contains("Connection refused") || text.contains("No such file") {
                throw ClientError.daemonNotRunning(socket: self.socketPath)
            }
            if text.contains("Permission denied") {
                throw ClientError.permissionDenied(socket: self.socketPath)
            }
            throw error
        }
    }
}

/// Failures of talking to the daemon.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing listens on the socket.
    case daemonNotRunning(socket: String)
    /// The socket belongs to another user.
    case permissionDenied(socket: String)
    /// The daemon refused the request: its error code and message.
    case api(status: Int, code: String, message: String)
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .daemonNotRunning(let socket):
            "the daemon is not running (no daemon at \(socket)); start it with `whatsagent start`"
        case .permissionDenied(let socket):
            "cannot connect to \(socket): permission denied (the daemon belongs to another user)"
        case .api(_, _, let message):
            message
        case .invalidResponse(let detail):
            "unexpected response from the daemon: \(detail)"
        }
    }

    /// The stable code, for `--json` error output.
    public var code: String {
        switch self {
        case .daemonNotRunning: "daemon_not_running"
        case .permissionDenied: "permission_denied"
        case .api(_, let code, _): code
        case .invalidResponse: "invalid_response"
        }
    }
}
