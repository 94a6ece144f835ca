import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runner's 0600 metadata file, so a restarted daemon can find a runner, re-adopt it, or learn how it ended.
///
/// Written atomically (temporary file + rename) at start and again when the child exits. The runner removes it
/// when a client acknowledged the exit; otherwise it stays with `exit` set for the next daemon to read and delete.
public struct RunnerMetadata: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var sessionID: String
    public var runnerPID: Int32
    public var childPID: Int32
    public var socketPath: String
    /// The `whatsagent` version that started the runner.
    public var runnerVersion: String
    public var command: String
    public var workingDirectory: String?
    public var startedAt: Date
    public var exit: PTYExitStatus?
    public var endedAt: Date?
    /// Where the last 256 KiB of output was saved when the child exited.
    public var tailPath: String?

    /// Reads a metadata file.
    public static func read(from path: String) throws -> RunnerMetadata {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try RunnerJSON.decoder.decode(RunnerMetadata.self, from: data)
    }

    /// Writes the file atomically with mode 0600.
    public func write(to path: String) throws {
        try RunnerFiles.writeAtomically(try RunnerJSON.encoder.encode(self), to: path)
    }

    /// Whether the runner process still runs (a zombie waiting for its reaper counts as gone).
    public var isRunnerAlive: Bool {
        RunnerFiles.isAlive(self.runnerPID)
    }
}

/// Small file helpers shared by the runner and its launcher.
enum RunnerFiles {
    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maxSocketPathBytes = 107

    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TerminalError.runnerFailed("cannot write \(path): \(TerminalError.errorText(errno))") }
        let written = data.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == data.count, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw TerminalError.runnerFailed("cannot write \(path): \(TerminalError.errorText(code))")
        }
    }

    /// Creates `path` (and parents) with mode 0700 when missing.
    static func ensurePrivateDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")"),
            let state = stat[close...].dropFirst(2).first
        {
            return state != "Z" && state != "X"
        }
        #endif
        return true
    }
}
