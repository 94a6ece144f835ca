/// What a `PTYProcess` reports, in order: output chunks as they are read, then exactly one `exited`.
public enum PTYEvent: Sendable, Equatable {
    /// Bytes read from the terminal (raw: escape sequences, `\r\n` line ends).
    case output([UInt8])
    /// The child ended and every byte it wrote has been reported.
    case exited(PTYExitStatus)
}
