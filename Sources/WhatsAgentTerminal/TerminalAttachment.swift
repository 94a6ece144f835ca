import CPty
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Connects the current terminal (or pipes) to a runner: `whatsagent agent attach` (docs/architecture.md,
/// "Managed sessions").
///
/// ```swift
/// let runner = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
/// let outcome = await TerminalAttachment(connection: runner).run()   // .detached or .exited(status)
/// ```
/// On a terminal: raw mode (restored on every way out, signals included), the buffered tail first, then live
/// output; keystrokes go to the agent's PTY; window size changes are forwarded; **Ctrl-]** detaches. With stdin a
/// pipe: its bytes are sent as they come, and after its end the attachment detaches once the output has been quiet
/// for `quietAfterInput` (or when the agent exits).
public struct TerminalAttachment: Sendable {
    /// How the attachment ended.
    public enum Outcome: Sendable, Equatable {
        /// Ctrl-] (or the end of piped input): the agent keeps running.
        case detached
        /// The agent exited.
        case exited(PTYExitStatus)
        /// The runner went away.
        case connectionLost
    }

    /// The detach key: Ctrl-] (0x1D), as in telnet.
    public static let detachByte: UInt8 = 0x1D

    public let connection: RunnerConnection
    public var input: Int32
    public var output: Int32
    public var quietAfterInput: Duration

    public init(connection: RunnerConnection, input: Int32 = 0, output: Int32 = 1, quietAfterInput: Duration = .seconds(1)) {
        self.connection = connection
        self.input = input
        self.output = output
        self.quietAfterInput = quietAfterInput
    }

    /// Runs until detached, the agent exits or the runner goes away.
    public func run() async -> Outcome {
        let interactive = isatty(self.input) == 1
        let raw = interactive ? RawMode.enter(self.input) : nil
        defer { raw?.restore() }
        let signals = raw.map { SignalGuard(restoring: $0) }
        defer { signals?.cancel() }
        let resizes = isatty(self.output) == 1 ? self.forwardResizes() : nil
        defer { resizes?.cancel() }

        let clock = OutputClock()
        let events = self.connection.subscribe(fromOffset: nil)
        let chunks = Self.read(self.input)
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    for try await event in events {
                        switch event {
                        case .output(_, let bytes):
                            Self.write(bytes, to: self.output)
                            clock.touch()
                        case .exited(let status):
                            return .exited(status)
                        case .subscribed, .resized, .attention:
                            break
                        }
                    }
                    return .connectionLost
                } catch {
                    return Task.isCancelled ? .detached : .connectionLost
                }
            }
            group.addTask {
                for await chunk in chunks {
                    if let index = chunk.firstIndex(of: Self.detachByte) {
                        if index > 0 { try? await self.connection.send(input: Array(chunk[..<index])) }
                        return .detached
                    }
                    do {
                        try await self.connection.send(input: chunk)
                    } catch {
                        return .connectionLost
                    }
                }
                if Task.isCancelled { return .detached }
                // Piped input ended: stay until the agent's answer has arrived (output quiet), then detach.
                clock.touch()
                while !Task.isCancelled, clock.quietFor < self.quietAfterInput {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return .detached
            }
            let first = await group.next() ?? .detached
            group.cancelAll()
            return first
        }
        await self.connection.close()
        return outcome
    }

    // MARK: - Input and output

    /// Reads `descriptor` on a dedicated thread (a blocking read cannot be cancelled; the process exits after).
    static func read(_ descriptor: Int32) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = systemRead(descriptor, &buffer, buffer.count)
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                    continuation.yield(Array(buffer[0..<count]))
                }
                continuation.finish()
            }
            thread.start()
        }
    }

    static func write(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Sends the terminal's size now and on every SIGWINCH.
    private func forwardResizes() -> any DispatchSourceSignal {
        let connection = self.connection
        let descriptor = self.output
        let send: @Sendable () -> Void = {
            var cols: UInt16 = 0
            var rows: UInt16 = 0
            guard cpty_get_winsize(descriptor, &cols, &rows) == 0, cols > 0, rows > 0 else { return }
            Task { try? await connection.resize(TerminalSize(cols: Int(cols), rows: Int(rows))) }
        }
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler(handler: send)
        source.resume()
        send()
        return source
    }
}

/// When output last arrived (shared by the output and input tasks).
private final class OutputClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now

    func touch() {
        self.lock.withLock { self.last = .now }
    }

    var quietFor: Duration {
        self.lock.withLock { self.last.duration(to: .now) }
    }
}

/// The terminal's raw mode: entered once, restored exactly once.
final class RawMode: @unchecked Sendable {
    private let descriptor: Int32
    private let saved: termios
    private let lock = NSLock()
    private var restored = false

    private init(descriptor: Int32, saved: termios) {
        self.descriptor = descriptor
        self.saved = saved
    }

    static func enter(_ descriptor: Int32) -> RawMode? {
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var raw = saved
        cfmakeraw(&raw)
        guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return nil }
        return RawMode(descriptor: descriptor, saved: saved)
    }

    func restore() {
        let first = self.lock.withLock {
            defer { self.restored = true }
            return !self.restored
        }
        guard first else { return }
        var saved = self.saved
        _ = tcsetattr(self.descriptor, TCSANOW, &saved)
    }
}

/// Restores the terminal when the attachment is ended by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT), then exits
/// with 128 + the signal.
final class SignalGuard: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(restoring raw: RawMode) {
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                raw.restore()
                exit(128 + number)
            }
            source.resume()
            self.sources.append(source)
        }
    }

    func cancel() {
        for source in self.sources { source.cancel() }
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(descriptor, buffer, count)
    #else
    return Darwin.read(descriptor, buffer, count)
    #endif
}
