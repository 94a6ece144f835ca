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

        let exited = await WhatsAgent.Stop.waitForExit(pidFile: pidFile, timeout: .milliseconds(200))

        #expect(exited == false)
    }

    @Test func aReleasedLockIsSeenAsTheExit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wa-stop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("daemon.pid").path
        let lock = try PIDFileLock.acquire(path: pidFile)
        let waiting = Task { await WhatsAgent.Stop.waitForExit(pidFile: pidFile, timeout: .seconds(60)) }
        lock.release()

        #expect(await waiting.value == true)
    }
}
