import NIOCore

/// When a TCP connection is closed for being slow or idle, as a pure state machine (``ConnectionGuard`` feeds it
/// events and performs the actions it returns).
///
/// - The header deadline: a connection must deliver a complete request head within `header` of opening, and a later
///   request on a kept-alive connection within `header` of its first byte. Slow headers never hold a connection.
/// - The idle deadline: once the last response is written and no request is in flight, a connection that reads
///   nothing for `idle` is closed.
///
/// While a request is in flight there is no deadline here (a stalled request body is Hummingbird's idle timeout's
/// business), and a connection upgraded to a WebSocket stays in flight for good: its liveness is the WebSocket's own.
struct ConnectionTimeouts {
    enum Phase: Equatable {
        /// Not yet open, or already closed.
        case inactive
        /// Waiting for the end of a request head that started (or, for the first, whose connection opened) at `since`.
        case awaitingHead(since: NIODeadline)
        /// A request is in flight, or the connection is a WebSocket now: no deadline.
        case busy
        /// The last response was written at `since` and nothing is in flight.
        case idle(since: NIODeadline)
    }

    enum Action: Equatable {
        case none
        /// (Re)arm the one timer for this instant.
        case schedule(NIODeadline)
        case cancelTimer
        case close
    }

    let header: TimeAmount
    let idle: TimeAmount
    private(set) var phase = Phase.inactive
    /// The last four bytes of the head seen so far, to find a `\r\n\r\n` split across reads.
    private var window: UInt32 = 0

    init(header: TimeAmount, idle: TimeAmount) {
        self.header = header
        self.idle = idle
    }

    mutating func opened(at now: NIODeadline) -> Action {
        guard self.phase == .inactive else { return .none }
        self.window = 0
        self.phase = .awaitingHead(since: now)
        return .schedule(now + self.header)
    }

    /// Raw bytes arrived from the peer.
    mutating func read(_ bytes: some Collection<UInt8>, at now: NIODeadline) -> Action {
        switch self.phase {
        case .inactive, .busy:
            return .none
        case .idle:
            // The first byte of the next request starts its header deadline.
            self.window = 0
            self.phase = .awaitingHead(since: now)
            if self.endsHead(bytes) {
                self.phase = .busy
                return .cancelTimer
            }
            return .schedule(now + self.header)
        case .awaitingHead:
            guard self.endsHead(bytes) else { return .none }
            self.phase = .busy
            return .cancelTimer
        }
    }

    /// The HTTP decoder produced a request head (a second opinion to the byte scan, and the only one for a head whose
    /// bytes arrived while the previous request was in flight).
    mutating func requestHeadReceived() -> Action {
        switch self.phase {
        case .awaitingHead, .idle:
            self.phase = .busy
            return .cancelTimer
        case .inactive, .busy:
            return .none
        }
    }

    /// The last response was written and no request is in flight.
    mutating func responseFinished(at now: NIODeadline) -> Action {
        guard self.phase != .inactive else { return .none }
        self.phase = .idle(since: now)
        return .schedule(now + self.idle)
    }

    mutating func timerFired(at now: NIODeadline) -> Action {
        switch self.phase {
        case .awaitingHead(let since):
            return self.expire(since + self.header, now: now)
        case .idle(let since):
            return self.expire(since + self.idle, now: now)
        case .inactive, .busy:
            return .none
        }
    }

    mutating func closed() -> Action {
        self.phase = .inactive
        return .cancelTimer
    }

    // MARK: Helpers

    private mutating func expire(_ deadline: NIODeadline, now: NIODeadline) -> Action {
        guard now >= deadline else { return .schedule(deadline) }
        self.phase = .inactive
        return .close
    }

    /// True once `\r\n\r\n` has been seen since the head started, across reads.
    private mutating func endsHead(_ bytes: some Collection<UInt8>) -> Bool {
        for byte in bytes {
            self.window = self.window << 8 | UInt32(byte)
            if self.window == Self.headEnd { return true }
        }
        return false
    }

    /// `\r\n\r\n` as four bytes in a row.
    private static let headEnd: UInt32 = 0x0D0A_0D0A
}
