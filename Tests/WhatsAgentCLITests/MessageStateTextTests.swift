import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCLI

/// `msg thread` / `msg inbox` show each message's delivery state with the time of each step (SPEC §7.2, issue 16).
@Suite struct MessageStateTextTests {
    let utc = TimeZone(identifier: "UTC")!
    let sent = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC

    func message(
        _ state: String,
        pushed: Double? = nil,
        path: String? = nil,
        surfaced: Double? = nil,
        acknowledged: Double? = nil
    )
        -> MessageResponse
    {
        MessageResponse(
            id: "7",
            kind: "direct",
            from: "human-web",
            to: "api:dev",
            threadId: "dm:x",
            body: "hi",
            state: state,
            rejection: nil,
            clientMessageId: nil,
            sentAt: self.sent,
            pushedAt: pushed.map(self.sent.addingTimeInterval),
            pushPath: path,
            surfacedAt: surfaced.map(self.sent.addingTimeInterval),
            acknowledgedAt: acknowledged.map(self.sent.addingTimeInterval)
        )
    }

    /// Times are in ``TimeText/local(_:timeZone:)``'s style (tested in `TimeTextTests`).
    func at(_ seconds: Double) -> String { TimeText.local(self.sent.addingTimeInterval(seconds), timeZone: self.utc) }

    @Test func eachStepReachedIsListedWithItsTime() {
        #expect(self.at(0).hasPrefix("2027-01-15 08:00:00 "))
        #expect(MessageStateText.line(self.message("queued"), timeZone: self.utc) == "state: queued — queued \(self.at(0))")
        #expect(
            MessageStateText.line(self.message("pushed", pushed: 1, path: "channel"), timeZone: self.utc)
                == "state: pushed — queued \(self.at(0)), pushed \(self.at(1)) (channel)"
        )
        #expect(
            MessageStateText.line(self.message("acknowledged", pushed: 1, path: "typed", surfaced: 2, acknowledged: 3), timeZone: self.utc)
                == "state: acknowledged — queued \(self.at(0)), pushed \(self.at(1)) (typed), surfaced \(self.at(2)), acknowledged \(self.at(3))"
        )
    }

    @Test func aRejectedMessageHasNoStateLine() {
        #expect(MessageStateText.line(self.message("rejected"), timeZone: self.utc) == nil)
    }
}
