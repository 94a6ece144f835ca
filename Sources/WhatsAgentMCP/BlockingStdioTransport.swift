import Foundation
import Logging
import MCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MCP stdio transport: newline-delimited JSON-RPC on file descriptors 0 and 1, with blocking I/O.
///
/// The SDK's `StdioTransport` sets `O_NONBLOCK` on both descriptors (which it shares with the parent) and sleeps
/// 10 ms whenever a read would block, adding ~10 ms to every call and waking the CPU while idle
/// (`reference/swift-stack-findings.md` §A, gotcha 3). This one never touches the descriptor flags: a dedicated
/// thread blocks in `read(2)` and feeds an `AsyncThrowingStream`; `send` blocks in `write(2)`.
///
/// - Important: Stdout is the protocol channel. Nothing else in the process may write to it.
public actor BlockingStdioTransport: Transport {
    public nonisolated let logger: Logger

    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var isConnected = false

    /// - Parameters:
    ///   - input: The descriptor to read requests from (tests pass a pipe).
    ///   - output: The descriptor to write responses and notifications to.
    public init(
        input: Int32 = STDIN_FILENO,
        output: Int32 = STDOUT_FILENO,
        logger: Logger = Logger(label: "whatsagent.mcp", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.input = input
        self.output = output
        self.logger = logger
        (self.messages, self.continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    /// Starts the reader thread. It ends at end of input (the client closed our stdin) or on a read error.
    public func connect() async throws {
        guard !self.isConnected else { return }
        self.isConnected = true
        let reader = LineReader(descriptor: self.input, continuation: self.continuation, logger: self.logger)
        let thread = Thread { reader.run() }
        thread.name = "whatsagent-mcp-stdin"
        thread.start()
    }

    /// Ends the message stream. A reader thread still blocked in `read(2)` stays there until input ends or the
    /// process exits; it holds nothing but the descriptor.
    public func disconnect() async {
        self.isConnected = false
        self.continuation.finish()
    }

    /// Writes one message and its newline, blocking until the kernel has all of it (a full pipe means the client is
    /// busy; waiting is the right back-pressure).
    public func send(_ data: Data) async throws {
        var framed = data
        framed.append(UInt8(ascii: "\n"))
        try framed.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(self.output, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                }
                offset += written
            }
        }
    }

    public func receive() -> AsyncThrowingStream<Data, any Error> {
        self.messages
    }
}

/// The body of the reader thread: splits input into lines and yields each non-empty one.
private struct LineReader: Sendable {
    let descriptor: Int32
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    let logger: Logger

    func run() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = POSIXErrorCode(rawValue: errno) ?? .EIO
                self.logger.error("stdin read failed", metadata: ["error.errno": "\(code.rawValue)"])
                self.continuation.finish(throwing: MCPError.transportError(POSIXError(code)))
                return
            }
            if count == 0 {
                self.yield(pending)
                self.logger.debug("stdin closed")
                self.continuation.finish()
                return
            }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                self.yield(pending[pending.startIndex..<newline])
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
    }

    /// Yields one line without a trailing `\r`; blank lines are not messages.
    private func yield(_ line: Data) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        self.continuation.yield(Data(line))
    }
}
