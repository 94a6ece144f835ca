/// Spots "waiting for approval" style prompts in raw terminal output (SPEC §12).
///
/// Escape sequences are dropped and runs of whitespace (including what cursor movement stood for) collapse to one
/// space before matching, so `Do\e[1Cyou want to proceed?` still matches. Matching is case-insensitive ASCII over
/// a sliding window, so a phrase split across reads is found. Each occurrence is reported once.
public struct AttentionDetector: Sendable {
    /// The phrases the original runner watched for.
    public static let defaultPatterns = [
        "waiting for approval",
        "permission required",
        "do you want to proceed",
        "allow this command",
        "press enter to approve",
    ]

    private let patterns: [[UInt8]]
    private let windowLimit: Int
    /// The last byte of each pattern: only these can complete a match.
    private let finalBytes: Set<UInt8>
    private var window: [UInt8] = []
    private var escape = EscapeState.none

    private enum EscapeState {
        case none, escape, csi, osc, oscEscape
    }

    /// `patterns` are matched lowercased, with whitespace collapsed.
    public init(patterns: [String] = AttentionDetector.defaultPatterns) {
        self.patterns = patterns.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
        self.finalBytes = Set(self.patterns.compactMap(\.last))
        self.windowLimit = max(64, (self.patterns.map(\.count).max() ?? 0) * 2)
    }

    /// Feeds output; returns the pattern found in it (the first, if several), or nil.
    public mutating func scan(_ bytes: some Sequence<UInt8>) -> String? {
        var found: [UInt8]?
        for byte in bytes {
            guard let cleaned = self.clean(byte) else { continue }
            if cleaned == 0x20, self.window.last == 0x20 { continue }
            self.window.append(cleaned)
            if self.finalBytes.contains(cleaned),
                let match = self.patterns.first(where: { self.window.count >= $0.count && self.window.suffix($0.count).elementsEqual($0) })
            {
                found = found ?? match
                self.window.removeAll(keepingCapacity: true)
            }
            if self.window.count > self.windowLimit {
                self.window.removeFirst(self.window.count - self.windowLimit / 2)
            }
        }
        return found.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The byte to match (lowercased, whitespace and escape sequences as a space), or nil to skip it.
    private mutating func clean(_ byte: UInt8) -> UInt8? {
        switch self.escape {
        case .escape:
            switch byte {
            case UInt8(ascii: "["): self.escape = .csi
            case UInt8(ascii: "]"): self.escape = .osc
            default: self.escape = .none
            }
            return nil
        case .csi:
            if (0x40...0x7e).contains(byte) {
                self.escape = .none
                return 0x20
            }
            return nil
        case .osc:
            if byte == 0x07 { self.escape = .none } else if byte == 0x1b { self.escape = .oscEscape }
            return nil
        case .oscEscape:
            self.escape = byte == UInt8(ascii: "\\") ? .none : .osc
            return nil
        case .none:
            break
        }
        switch byte {
        case 0x1b:
            self.escape = .escape
            return nil
        case 0x09, 0x0a, 0x0d, 0x20:
            return 0x20
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return byte + 0x20
        case 0x00..<0x20, 0x7f:
            return nil
        default:
            return byte
        }
    }
}
