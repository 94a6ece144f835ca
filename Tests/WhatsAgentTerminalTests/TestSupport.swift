import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import WhatsAgentTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Polls `condition` until it holds, failing after `timeout` (a deadline, never a fixed wait).
func eventually(
    _ what: String,
    timeout: Duration = .seconds(60),
    _ condition: @Sendable () -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            throw TestTimeout(what: what)
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

struct TestTimeout: Error {
    var what: String
}

/// Records what a `PTYProcess` reports.
final class PTYRecorder: Sendable {
    private let state = NIOLockedValueBox<(output: [UInt8], exit: PTYExitStatus?, eventsAfterExit: Int)>(([], nil, 0))

    func record(_ event: PTYEvent) {
        self.state.withLockedValue { state in
            if state.exit != nil { state.eventsAfterExit += 1 }
            switch event {
            case .output(let bytes): state.output.append(contentsOf: bytes)
            case .exited(let status): state.exit = status
            }
        }
    }

    var output: [UInt8] { self.state.withLockedValue { $0.output } }
    var text: String { String(decoding: self.output, as: UTF8.self) }
    var exit: PTYExitStatus? { self.state.withLockedValue { $0.exit } }
    var eventsAfterExit: Int { self.state.withLockedValue { $0.eventsAfterExit } }

    func waitForText(_ needle: String, timeout: Duration = .seconds(60)) async throws {
        try await eventually("output containing \(needle.debugDescription); got \(self.text.suffix(300).debugDescription)", timeout: timeout) {
            self.text.contains(needle)
        }
    }
}

/// Spawns `/bin/sh -c script` in a pty, recording events.
func spawnShell(
    _ script: String,
    size: TerminalSize = .default,
    workingDirectory: String? = nil,
    environment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
) throws -> (PTYProcess, PTYRecorder) {
    let recorder = PTYRecorder()
    let process = try PTYProcess.spawn(
        PTYProcess.Configuration(
            command: "/bin/sh",
            arguments: ["-c", script],
            environment: environment,
            workingDirectory: workingDirectory,
            size: size
        ),
        onEvent: { recorder.record($0) }
    )
    return (process, recorder)
}

/// A short temporary directory (Unix socket paths must stay under 107 bytes), removed on deinit.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        self.path = "/tmp/wat-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// True when `pid` is our child that has not been reaped (a zombie we own) — `waitpid` would find it.
func isUnreapedChild(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) != -1 || errno != ECHILD
}

/// True while `pid` runs (a zombie counts as ended: here the orphan reaper may be slow or absent).
func isRunning(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return true }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// The identity (device, inode) of an open descriptor, or nil when it is closed.
func descriptorIdentity(_ descriptor: Int32) -> (UInt64, UInt64)? {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return nil }
    return (UInt64(info.st_dev), UInt64(info.st_ino))
}

/// How many of this process's descriptors point at `target` (for example `/dev/ptmx`).
func openDescriptorCount(pointingAt target: String) -> Int {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == target }.count
}
