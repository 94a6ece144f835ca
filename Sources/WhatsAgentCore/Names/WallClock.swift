import Foundation

/// The domain's source of "now".
public enum WallClock {
    /// The current time cut to whole milliseconds. Storage (SQLite text with milliseconds) and the wire format
    /// both round to the millisecond, so such a date reads back, and prints, exactly as it was returned when created.
    public static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
