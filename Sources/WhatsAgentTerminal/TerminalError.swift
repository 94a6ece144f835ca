#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Failures of the terminal layer: spawning, the runner socket and the runner protocol.
///
/// Each message says what happened and, where there is one, what to do instead.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command is not an executable file, and not found on `PATH`.
    case commandNotFound(String)
    /// A spawn step failed (`stage` names it, `errno` says why).
    case spawnFailed(command: String, stage: String, errno: Int32)
    /// A Unix socket path longer than the 107 bytes `sun_path` holds.
    case socketPathTooLong(String)
    /// A size outside `TerminalSize.validRange`.
    case invalidSize(TerminalSize)
    /// The runner and this client speak different protocol versions.
    case versionMismatch(runner: Int, client: Int)
    /// The runner refused the connection or a request (`code` is stable: `unauthorized`, `bad_frame`, `too_slow`, …).
    case refused(code: String, message: String)
    /// A frame that does not follow the protocol.
    case protocolViolation(String)
    /// The connection ended before the answer arrived.
    case connectionClosed
    /// The runner did not start, or did not answer, in time.
    case timedOut(String)
    /// The runner could not be started or failed during start-up.
    case runnerFailed(String)

    public var description: String {
        switch self {
        case .commandNotFound(let command):
            return "command not found: \(command) — give an absolute path or put it on PATH"
        case .spawnFailed(let command, let stage, let errno):
            return "cannot start \(command): \(stage) failed (\(Self.errorText(errno)))"
        case .socketPathTooLong(let path):
            return "socket path is \(path.utf8.count) bytes, more than the 107 a Unix socket allows: use a shorter home directory (\(path))"
        case .invalidSize(let size):
            return "invalid terminal size \(size): columns and rows must be between 1 and \(TerminalSize.validRange.upperBound)"
        case .versionMismatch(let runner, let client):
            return "the runner speaks protocol version \(runner) and this client \(client): stop and relaunch the session with this binary"
        case .refused(let code, let message):
            return "the runner refused (\(code)): \(message)"
        case .protocolViolation(let detail):
            return "runner protocol violation: \(detail)"
        case .connectionClosed:
            return "the runner connection closed"
        case .timedOut(let what):
            return "timed out: \(what)"
        case .runnerFailed(let message):
            return message
        }
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
