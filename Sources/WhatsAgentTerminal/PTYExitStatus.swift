/// How a child process ended: an exit code, or the signal that terminated it.
public struct PTYExitStatus: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The exit code when the process exited normally.
    public var code: Int32?
    /// The terminating signal when the process was killed by one.
    public var signal: Int32?

    public init(code: Int32? = nil, signal: Int32? = nil) {
        self.code = code
        self.signal = signal
    }

    /// Decodes a `waitpid` status (the layout is the same on Linux and macOS; the C macros are not visible to Swift).
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self.init(code: (status >> 8) & 0xff)
        } else {
            self.init(signal: low)
        }
    }

    public var description: String {
        if let signal { return "killed by signal \(signal)" }
        return "exited with code \(self.code ?? -1)"
    }
}
