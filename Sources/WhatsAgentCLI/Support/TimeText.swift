import Foundation

/// The one timestamp style of text output: relative in lists ("5 min ago"), absolute local time in detail views
/// ("2026-12-07 14:05:09 CET"); `--json` keeps the API's RFC 3339 UTC.
enum TimeText {
    /// "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; a week or more back, the local date. Future times
    /// read "in 5 min".
    static func relative(_ date: Date, now: Date = Date(), timeZone: TimeZone = .current) -> String {
        let seconds = Int(now.timeIntervalSince(date).rounded())
        let magnitude = abs(seconds)
        let amount: String
        switch magnitude {
        case ..<5: return "just now"
        case ..<60: amount = "\(magnitude) s"
        case ..<3600: amount = "\(magnitude / 60) min"
        case ..<86_400: amount = "\(magnitude / 3600) h"
        case ..<(7 * 86_400): amount = "\(magnitude / 86_400) d"
        default: return String(self.local(date, timeZone: timeZone).prefix(10))
        }
        return seconds >= 0 ? "\(amount) ago" : "in \(amount)"
    }

    /// Absolute local time with its zone: "2026-12-07 14:05:09 CET".
    static func local(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }
}
