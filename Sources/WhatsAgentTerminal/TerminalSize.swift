/// The size of a terminal in character cells.
public struct TerminalSize: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Columns (characters per line).
    public var cols: Int
    /// Rows (lines).
    public var rows: Int

    /// SPEC §6.1: every managed session starts at 120x32.
    public static let `default` = TerminalSize(cols: 120, rows: 32)

    /// The accepted range for each dimension (the kernel stores them as 16-bit values).
    public static let validRange = 1...4096

    public init(cols: Int, rows: Int) {
        self.cols = cols
        self.rows = rows
    }

    /// Whether both dimensions lie in `validRange`.
    public var isValid: Bool {
        Self.validRange.contains(self.cols) && Self.validRange.contains(self.rows)
    }

    public var description: String { "\(self.cols)x\(self.rows)" }
}
