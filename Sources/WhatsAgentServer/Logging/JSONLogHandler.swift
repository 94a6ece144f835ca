import Foundation
import Logging
import WhatsAgentAPI

/// Writes one JSON object per line: `{"ts","level","label","message",…metadata}`. Metadata keys that look like
/// secrets (token, secret, password, cookie, authorization) are replaced with `[redacted]`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let file: LogFile

    public init(label: String, file: LogFile, level: Logger.Level = .info) {
        self.label = label
        self.file = file
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "ts": WireDate.format(Date()),
            "level": event.level.rawValue,
            "label": self.label,
            "message": Self.redact(event.message.description),
        ]
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged {
            object[key] = Self.isSecret(key) ? "[redacted]" : Self.plain(value)
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            self.file.append(data)
        }
    }

    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["token", "secret", "password", "cookie", "authorization", "recovery"].contains { lowered.contains($0) }
    }

    /// Messages are written by us and carry no secrets by rule; this is a last line of defence for bearer tokens.
    static func redact(_ message: String) -> String {
        guard let range = message.range(of: "Bearer ", options: .caseInsensitive) else { return message }
        return message[..<range.upperBound] + "[redacted]"
    }

    static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let array): array.map(Self.plain)
        case .dictionary(let dictionary): dictionary.mapValues(Self.plain)
        }
    }
}
