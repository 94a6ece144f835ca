import Foundation

/// The one JSON configuration of the wire: RFC 3339 dates with milliseconds, sorted keys.
///
/// The daemon, the client, the MCP server and every test use these, never a bare `JSONEncoder`/`JSONDecoder`.
public enum WireJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(WireDate.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = WireDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 date, got \(text)")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 timestamps with millisecond precision, always in UTC (`2026-11-21T09:26:40.123Z`).
public enum WireDate {
    /// Formats with the time rounded to the nearest millisecond — as SQLite storage does — so a date parsed back
    /// from text (whose binary value may sit a hair off the millisecond) prints the same text again.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Date(timeIntervalSince1970: TimeInterval(milliseconds.quotient(dividingBy: 1000)))
        let whole = seconds.formatted(Date.ISO8601FormatStyle())
        let fraction = String(milliseconds.remainder(dividingBy: 1000) + 1000).dropFirst()
        return "\(whole.dropLast())." + fraction + "Z"
    }

    /// Accepts timestamps with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}

extension Int64 {
    /// Floor division, correct for dates before 1970 too.
    fileprivate func quotient(dividingBy divisor: Int64) -> Int64 {
        (self - self.remainder(dividingBy: divisor)) / divisor
    }

    /// The non-negative remainder.
    fileprivate func remainder(dividingBy divisor: Int64) -> Int64 {
        ((self % divisor) + divisor) % divisor
    }
}
