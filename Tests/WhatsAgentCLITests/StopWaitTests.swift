import Foundation
import Testing
import WhatsAgentCore

@testable import WhatsAgentCLI

/// `whatsagent stop` waits for the daemon's lock with a deadline, so a daemon that never exits is killed instead of
/// hanging the command (the wait used to sit inside a task group that waited for the blocked thread forever).
@Suite struct StopWaitTests {
    @Test func aLockThatIsNeverReleasedTimesOut() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wa-stop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("daemon.pid").path
        let lock = try PIDFileLock.acquire(path: pidFile)
        defer { lock.release() }

        let exited = await WhatsAgent.Stop.waitForExit(pidFile: pidFile, pid: getpid(), timeout: .milliseconds(200))

        #expect(exited == false)
    }

    @Test func aReleasedLockAndAnEndedProcessAreTheExit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wa-stop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("daemon.pid").path
        let daemon = try Self.sleeper()
        let lock = try PIDFileLock.acquire(path: pidFile)
        let waiting = Task { await WhatsAgent.Stop.waitForExit(pidFile: pidFile, pid: daemon.processIdentifier, timeout: .seconds(60)) }
        lock.release()
        kill(daemon.processIdentifier, SIGKILL)  // not SIGTERM: the test process may pass a blocked SIGTERM on

        #expect(await waiting.value == true)
    }

    /// The lock goes with its descriptor, before the process has closed the rest (its log files): `stop` must not
    /// report the exit until the process is gone, or a script that unmounts the home next finds it busy.
    @Test func aReleasedLockIsNotTheExitWhileTheProcessRuns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wa-stop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("daemon.pid").path
        let daemon = try Self.sleeper()
        defer { kill(daemon.processIdentifier, SIGKILL) }
        PIDFileLock.waitUntilReleased(path: pidFile)

        let exited = await WhatsAgent.Stop.waitForExit(pidFile: pidFile, pid: daemon.processIdentifier, timeout: .milliseconds(300))

        #expect(exited == false)
    }

    private static func sleeper() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
        return process
    }
}
