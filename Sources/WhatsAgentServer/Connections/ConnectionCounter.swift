import Foundation
import Logging
import NIOCore
import Synchronization
import WhatsAgentAPI

/// The open TCP connections of the web listener, shared by every ``ConnectionGuard``, and the cap they are held to.
///
/// Every accepted connection counts while it is open, refused ones too (each holds a descriptor). Past the cap a
/// connection is answered `503 too_many_connections` with `Connection: close`; up to ``refusalSlack`` of them linger
/// a moment so the client reads the answer before the close, any more are closed at once.
final class ConnectionCounter: Sendable {
    enum Admission: Equatable {
        case accept
        /// Answer 503; `linger`: half-close and wait briefly for the client to finish, rather than closing at once.
        case refuse(linger: Bool)
    }

    /// Most connections served at once.
    let cap: Int
    /// Refused connections that may linger (half-closed, for ``lingerTime`` at most) beyond the cap.
    let refusalSlack: Int
    /// How long a refused connection lingers so the client can read the 503 before the close.
    let lingerTime = TimeAmount.seconds(1)
    /// The whole refusal, written straight to the socket.
    let refusal: ByteBuffer
    let logger: Logger
    private let open = Atomic<Int>(0)
    private let refusedSinceSaturation = Atomic<Int>(0)
    private let saturated = Atomic<Bool>(false)

    init(cap: Int, refusalSlack: Int = 32, logger: Logger) {
        self.cap = max(cap, 0)
        self.refusalSlack = refusalSlack
        self.logger = logger
        self.refusal = Self.refusalResponse()
    }

    /// Open connections now.
    var openConnections: Int { self.open.load(ordering: .relaxed) }

    /// Counts a newly opened connection and says whether it is served.
    func opened() -> Admission {
        let count = self.open.wrappingAdd(1, ordering: .relaxed).newValue
        if count <= self.cap { return .accept }
        self.refusedSinceSaturation.wrappingAdd(1, ordering: .relaxed)
        if !self.saturated.exchange(true, ordering: .relaxed) {
            self.logger.warning(
                "the web listener is at its connection cap; refusing new connections with 503",
                metadata: [
                    "connections.cap": "\(self.cap)",
                    "hint": "the CLI and agents use the owner socket and are unaffected; if this is your own browser, raise [ui] max_connections",
                ]
            )
        }
        return .refuse(linger: count <= self.cap + self.refusalSlack)
    }

    /// Uncounts a connection that closed.
    func closed() {
        let count = self.open.wrappingSubtract(1, ordering: .relaxed).newValue
        // Some room again (a quarter of the cap), so a flood at the cap does not log on every connection.
        guard count <= self.cap - max(1, self.cap / 4), self.saturated.exchange(false, ordering: .relaxed) else { return }
        let refused = self.refusedSinceSaturation.exchange(0, ordering: .relaxed)
        self.logger.notice(
            "the web listener is below its connection cap again",
            metadata: ["connections.cap": "\(self.cap)", "connections.refused": "\(refused)"]
        )
    }

    private static func refusalResponse() -> ByteBuffer {
        let error = APIErrorBody(
            code: "too_many_connections",
            message: "the daemon is serving as many web connections as it allows; retry in a moment, close other WhatsAgent "
                + "tabs, or raise [ui] max_connections in daemon.toml (the whatsagent CLI works meanwhile)"
        )
        let body = (try? WireJSON.encoder().encode(error)) ?? Data()
        let head =
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nRetry-After: 5\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n"
        var buffer = ByteBuffer(string: head)
        buffer.writeBytes(body)
        return buffer
    }
}
