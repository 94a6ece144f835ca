import Foundation
import Logging
import NIOCore
import Testing

@testable import WhatsAgentServer

/// The web listener's deadlines as a state machine, the descriptor budget's arithmetic and the cap's admissions
/// (issue 14: one local user must not make the daemon unusable). The real listener under a flood is
/// e2e/test_tcp_limits.py.
@Suite struct ConnectionLimitsTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func machine() -> ConnectionTimeouts {
        ConnectionTimeouts(header: .seconds(10), idle: .seconds(60))
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: Tests

    @Test func aConnectionThatSendsNothingIsClosedAtTheHeaderDeadline() {
        var timeouts = self.machine()

        let armed = timeouts.opened(at: self.start)

        #expect(armed == .schedule(self.start + .seconds(10)))
        #expect(timeouts.timerFired(at: self.start + .seconds(10)) == .close)
    }

    @Test func partialHeadersDoNotMoveTheHeaderDeadline() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)

        for second in 1...9 {
            #expect(timeouts.read(self.bytes("X-Slow-\(second): y\r\n"), at: self.start + .seconds(Int64(second))) == .none)
        }

        #expect(timeouts.timerFired(at: self.start + .seconds(10)) == .close)
    }

    @Test func aHeadSplitAcrossReadsEndsTheDeadline() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)

        #expect(timeouts.read(self.bytes("GET / HTTP/1.1\r\nHost: a\r"), at: self.start) == .none)
        #expect(timeouts.read(self.bytes("\n\r"), at: self.start) == .none)
        let ended = timeouts.read(self.bytes("\n"), at: self.start)

        #expect(ended == .cancelTimer)
        #expect(timeouts.phase == .busy)
        #expect(timeouts.timerFired(at: self.start + .seconds(3600)) == .none)
    }

    @Test func anUpgradedConnectionNeverGetsADeadline() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)
        _ = timeouts.read(self.bytes("GET /api/v1/events HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"), at: self.start)

        // WebSocket frames, and no HTTP signal ever again.
        #expect(timeouts.read([0x81, 0x85, 1, 2, 3, 4, 5], at: self.start + .seconds(100)) == .none)

        #expect(timeouts.phase == .busy)
        #expect(timeouts.timerFired(at: self.start + .seconds(86_400)) == .none)
    }

    @Test func anIdleKeptAliveConnectionIsClosedAtTheIdleDeadline() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)
        _ = timeouts.read(self.bytes("GET / HTTP/1.1\r\n\r\n"), at: self.start)
        _ = timeouts.requestHeadReceived()

        let idle = timeouts.responseFinished(at: self.start + .seconds(1))

        #expect(idle == .schedule(self.start + .seconds(61)))
        #expect(timeouts.timerFired(at: self.start + .seconds(30)) == .schedule(self.start + .seconds(61)))
        #expect(timeouts.timerFired(at: self.start + .seconds(61)) == .close)
    }

    @Test func theNextRequestsFirstByteStartsItsHeaderDeadline() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)
        _ = timeouts.read(self.bytes("GET / HTTP/1.1\r\n\r\n"), at: self.start)
        _ = timeouts.responseFinished(at: self.start + .seconds(1))

        let started = timeouts.read(self.bytes("GET /a HTTP/1.1\r\n"), at: self.start + .seconds(50))

        #expect(started == .schedule(self.start + .seconds(60)))
        #expect(timeouts.timerFired(at: self.start + .seconds(60)) == .close)
    }

    @Test func aWholeNextRequestInOneReadIsBusyAtOnce() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)
        _ = timeouts.read(self.bytes("GET / HTTP/1.1\r\n\r\n"), at: self.start)
        _ = timeouts.responseFinished(at: self.start + .seconds(1))

        let next = timeouts.read(self.bytes("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"), at: self.start + .seconds(2))

        #expect(next == .cancelTimer)
        #expect(timeouts.phase == .busy)
    }

    @Test func theDecodersHeadEndsTheDeadlineEvenWhenTheScanMissedIt() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)
        _ = timeouts.read(self.bytes("GET / HTTP/1.1\r\n\r\n"), at: self.start)
        _ = timeouts.responseFinished(at: self.start + .seconds(1))
        // Half of the next head's end arrived before the response finished, the rest after.
        _ = timeouts.read(self.bytes("\n"), at: self.start + .seconds(2))

        #expect(timeouts.requestHeadReceived() == .cancelTimer)
        #expect(timeouts.phase == .busy)
    }

    @Test func aClosedConnectionIgnoresLateTimers() {
        var timeouts = self.machine()
        _ = timeouts.opened(at: self.start)

        #expect(timeouts.closed() == .cancelTimer)
        #expect(timeouts.timerFired(at: self.start + .seconds(10)) == .none)
        #expect(timeouts.responseFinished(at: self.start) == .none)
    }

    @Test(arguments: [
        // soft limit, in use, configured → cap
        (4096, 40, 512, 512),
        (512, 40, 512, 344),
        (256, 60, 512, 68),
        (150, 60, 512, 1),
    ])
    func theCapLeavesTheReserveToEverythingElse(soft: Int, inUse: Int, configured: Int, expected: Int) {
        let budget = DescriptorBudget(softLimit: soft, hardLimit: soft, inUse: inUse)

        #expect(budget.connectionCap(maxConnections: configured) == expected)
    }

    @Test func theCapAdmitsUpToItAndRefusesBeyond() {
        let counter = ConnectionCounter(cap: 2, refusalSlack: 1, logger: Logger(label: "test"))

        let admissions = (0..<4).map { _ in counter.opened() }

        #expect(admissions == [.accept, .accept, .refuse(linger: true), .refuse(linger: false)])
        counter.closed()
        counter.closed()
        counter.closed()
        #expect(counter.opened() == .accept)
        #expect(counter.openConnections == 2)
    }

    @Test func theRefusalIsACompleteHTTPResponseInTheErrorShape() {
        let counter = ConnectionCounter(cap: 1, logger: Logger(label: "test"))

        let text = String(buffer: counter.refusal)

        #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(text.contains("\r\nConnection: close\r\n"))
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        #expect(text.contains("Content-Length: \(parts[1].utf8.count)\r\n"))
        #expect(parts[1].hasPrefix(#"{"error":{"code":"too_many_connections","message":"#))
    }
}
