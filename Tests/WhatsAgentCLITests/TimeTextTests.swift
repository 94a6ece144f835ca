import Foundation
import Testing

@testable import WhatsAgentCLI

/// One timestamp style in text output (issue 17): relative in lists, absolute local time in detail views.
@Suite struct TimeTextTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func listsSayHowLongAgo() {
        #expect(TimeText.relative(self.now.addingTimeInterval(-2), now: self.now) == "just now")
        #expect(TimeText.relative(self.now.addingTimeInterval(-42), now: self.now) == "42 s ago")
        #expect(TimeText.relative(self.now.addingTimeInterval(-5 * 60 - 10), now: self.now) == "5 min ago")
        #expect(TimeText.relative(self.now.addingTimeInterval(-3 * 3600), now: self.now) == "3 h ago")
        #expect(TimeText.relative(self.now.addingTimeInterval(-2 * 86_400), now: self.now) == "2 d ago")
        #expect(TimeText.relative(self.now.addingTimeInterval(10 * 60), now: self.now) == "in 10 min")
        let utc = TimeZone(identifier: "UTC")!
        #expect(TimeText.relative(self.now.addingTimeInterval(-30 * 86_400), now: self.now, timeZone: utc) == "2026-12-16")
    }

    @Test func detailViewsSayTheLocalTimeWithItsZone() {
        #expect(TimeText.local(self.now, timeZone: TimeZone(identifier: "UTC")!).hasPrefix("2027-01-15 08:00:00 "))
        #expect(TimeText.local(self.now, timeZone: TimeZone(identifier: "Europe/Paris")!).hasPrefix("2027-01-15 09:00:00 "))
    }
}
