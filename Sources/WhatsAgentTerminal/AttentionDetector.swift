/// Spots "waiting for approval" style prompts in raw terminal output (SPEC §12), in two ways:
///
/// - `scan` reports each new occurrence of a `patterns` phrase once (the runner's attention flag);
/// - `promptOnScreen` says whether the screen as last shown holds a prompt (`screenPatterns`): the daemon never
///   types a nudge then, since a typed key could answer it.
///
/// Escape sequences are dropped and runs of whitespace (including what cursor movement stood for) collapse to one
/// space before matching, so `Do\e[1Cyou want to proceed?` still matches. Matching is case-insensitive ASCII, so a
/// phrase split across reads is found. The screen is approximated by the last `screenLimit` visible bytes since the
/// screen was last cleared (`ESC[2J`, `ESC[3J`, `ESC[H ESC[J`, `ESC c`, switching to or from the alternate screen):
/// a prompt stops counting once it was cleared or enough later output pushed it out.
public struct AttentionDetector: Sendable {
    /// The phrases that raise the attention flag: the original runner's, then the real prompts of Codex (an MCP
    /// tool call, folder trust), Claude Code (folder trust, a custom API key, development channels) and y/n prompts.
    public static let defaultPatterns = [
        "waiting for approval",
        "permission required",
        "do you want to proceed",
        "allow this command",
        "press enter to approve",
        "mcp server to run tool",
        "do you trust the contents of this directory",
        "do you trust the files in this folder",
        "quick safety check",
        "yes, i trust this folder",
        "detected a custom api key",
        "i am using this for local development",
        "press enter to continue",
        "[y/n]",
        "(y/n)",
        "[yes/no]",
        "(yes/no)",
    ]

    /// What counts as a prompt on screen: the flag's phrases, plus questions and menu lines that are too common in
    /// ordinary output to raise the flag but must stop a nudge (the cursor on a numbered first option).
    public static let screenPatterns =
        defaultPatterns + [
            "do you want to",
            "would you like to",
            "1. allow",
            "1. yes",
            "› 1.",
            "❯ 1.",
            "no, exit",
            "enter to confirm",
            "esc to cancel",
        ]

    /// How much visible output (after cleaning) counts as the screen.
    public static let screenLimit = 2048

    private let patterns: [[UInt8]]
    private let screenPatterns: [[UInt8]]
    private let windowLimit: Int
    /// Whether a byte is the last of some pattern (indexed by the byte): only these can complete a match.
    private let finalBytes: [Bool]
    private var window: [UInt8] = []
    /// Cleaned output since the last clear (trimmed to about `screenLimit`).
    private var screen: [UInt8] = []
    private var escape = EscapeState.none
    /// The parameter bytes of the control sequence being read, and whether the previous one homed the cursor.
    private var parameters: [UInt8] = []
    private var homed = false

    private enum EscapeState {
        case none, escape, csi, osc, oscEscape
    }

    /// `patterns` (the flag) and `screenPatterns` (a prompt on screen) are matched lowercased, whitespace collapsed.
    public init(patterns: [String] = AttentionDetector.defaultPatterns, screenPatterns: [String] = AttentionDetector.screenPatterns) {
        self.patterns = Self.prepared(patterns)
        self.screenPatterns = Self.prepared(screenPatterns)
        var finalBytes = [Bool](repeating: false, count: 256)
        for pattern in self.patterns { if let last = pattern.last { finalBytes[Int(last)] = true } }
        self.finalBytes = finalBytes
        self.windowLimit = max(64, (self.patterns.map(\.count).max() ?? 0) * 2)
    }

    private static func prepared(_ patterns: [String]) -> [[UInt8]] {
        patterns.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }
    }

    /// Feeds output; returns the flag phrase newly found in it (the first, if several), or nil.
    public mutating func scan(_ bytes: some Sequence<UInt8>) -> String? {
        // Through a buffer: iterating a generic sequence byte by byte cost about five times the instructions.
        if let found = bytes.withContiguousStorageIfAvailable({ self.scan(buffer: $0) }) { return found }
        return Array(bytes).withUnsafeBufferPointer { self.scan(buffer: $0) }
    }

    private mutating func scan(buffer bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var found: [UInt8]?
        for byte in bytes {
            guard let cleaned = self.clean(byte) else { continue }
            if cleaned == 0x20, self.window.last == 0x20 { continue }
            self.window.append(cleaned)
            if !(cleaned == 0x20 && self.screen.last == 0x20) { self.screen.append(cleaned) }
            if self.finalBytes[Int(cleaned)],
                let match = self.patterns.first(where: { self.window.count >= $0.count && self.window.suffix($0.count).elementsEqual($0) })
            {
                found = found ?? match
                self.window.removeAll(keepingCapacity: true)
            }
            if self.window.count > self.windowLimit {
                self.window.removeFirst(self.window.count - self.windowLimit / 2)
            }
            if self.screen.count > 2 * Self.screenLimit {
                self.screen.removeFirst(self.screen.count - Self.screenLimit)
            }
        }
        return found.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The prompt phrase the screen shows now (the first of `screenPatterns` found), or nil.
    public var promptOnScreen: String? {
        let shown = self.screen.suffix(Self.screenLimit)
        return self.screenPatterns.first { Self.contains(shown, $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func contains(_ text: ArraySlice<UInt8>, _ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first, text.count >= pattern.count else { return false }
        var index = text.startIndex
        let last = text.endIndex - pattern.count
        while index <= last {
            if text[index] == first, text[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
            index += 1
        }
        return false
    }

    /// The byte to match (lowercased, whitespace and escape sequences as a space), or nil to skip it.
    private mutating func clean(_ byte: UInt8) -> UInt8? {
        switch self.escape {
        case .escape:
            switch byte {
            case UInt8(ascii: "["):
                self.escape = .csi
                self.parameters.removeAll(keepingCapacity: true)
            case UInt8(ascii: "]"): self.escape = .osc
            case UInt8(ascii: "c"):  // RIS: a full reset clears the screen
                self.escape = .none
                self.clearScreen()
            default: self.escape = .none
            }
            return nil
        case .csi:
            if (0x40...0x7e).contains(byte) {
                self.escape = .none
                self.controlSequence(final: byte)
                return 0x20
            }
            if self.parameters.count < 16 { self.parameters.append(byte) }
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
        default:
            // Anything shown or moved after a home position: an erase that follows no longer clears it all.
            self.homed = false
        }
        switch byte {
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

    /// Parameters of erase display (`J`) that erase it all, and of erasing from the cursor down.
    private static let eraseAll = ["2", "3"].map { Array($0.utf8) }
    private static let eraseBelow = ["", "0"].map { Array($0.utf8) }
    /// Parameters of `h`/`l` that switch to or from the alternate screen.
    private static let screenSwitches = ["?1049", "?1047", "?47"].map { Array($0.utf8) }
    /// Parameters of `H` that move the cursor home.
    private static let home = ["", "1", "1;1", ";"].map { Array($0.utf8) }

    /// Tracks the control sequences that replace the whole screen: erase display (2, 3, or from the home position),
    /// and switching to or from the alternate screen. Compares bytes: this runs for every sequence of the output.
    private mutating func controlSequence(final: UInt8) {
        switch final {
        case UInt8(ascii: "J"):
            if Self.eraseAll.contains(self.parameters) || (self.homed && Self.eraseBelow.contains(self.parameters)) { self.clearScreen() }
        case UInt8(ascii: "h"), UInt8(ascii: "l"):
            if Self.screenSwitches.contains(self.parameters) { self.clearScreen() }
        default:
            break
        }
        self.homed = final == UInt8(ascii: "H") && Self.home.contains(self.parameters)
    }

    private mutating func clearScreen() {
        self.screen.removeAll(keepingCapacity: true)
    }
}
