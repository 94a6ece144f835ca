import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

/// `<cmd> --version` probes against fake executables (shell scripts in a temporary directory).
@Suite struct RuntimeDetectorTests {
    let bin: TemporaryDirectory

    init() throws {
        self.bin = try TemporaryDirectory()
    }

    func detector(timeout: Duration = .seconds(3)) -> RuntimeDetector {
        RuntimeDetector(timeout: timeout, lookup: ExecutableLookup(path: self.bin.path))
    }

    @Test func foundReportsThePathAndTheFirstLine() async throws {
        try self.bin.script("claude", "[ \"$1\" = --version ] || exit 9\necho\necho '2.1.80 (Claude Code)'\necho more")
        let detection = await self.detector().detect("claude", runtime: .claude)

        #expect(detection.status == .found)
        #expect(detection.path == "\(self.bin.path)/claude")
        #expect(detection.version == "2.1.80 (Claude Code)")
        #expect(detection.message == "2.1.80 (Claude Code)")
    }

    @Test func versionOnStandardErrorCounts() async throws {
        try self.bin.script("pi", "echo 'pi 0.9' >&2")
        #expect(await self.detector().detect("pi", runtime: .pi).version == "pi 0.9")
    }

    @Test func notFoundSaysHowToConfigure() async {
        let detection = await self.detector().detect("codex", runtime: .codex)
        #expect(detection.status == .notFound)
        #expect(detection.path == nil)
        #expect(detection.message == "codex not found on PATH; install it or run `whatsagent runtime set codex --command /path/to/codex`")
    }

    @Test func aFailingProbeReportsItsExitCode() async throws {
        try self.bin.script("opencode", "echo 'broken install' >&2\nexit 3")
        let detection = await self.detector().detect("opencode", runtime: .opencode)

        #expect(detection.status == .failed)
        #expect(detection.exitCode == 3)
        #expect(detection.message == "\(self.bin.path)/opencode --version failed with exit code 3: broken install")
    }

    @Test func aHangingProbeIsKilledAtTheTimeout() async throws {
        let pidFile = "\(self.bin.path)/pid"
        // 600 s: the probe is killed at the 0.3 s timeout; the sleep only bounds a failure, and a loaded machine has
        // run this detector's timer a minute late.
        try self.bin.script("codex", "echo $$ > '\(pidFile)'\nexec sleep 600")
        let detection = await self.detector(timeout: .milliseconds(300)).detect("codex", runtime: .codex)

        #expect(detection.status == .timedOut)
        #expect(detection.path == "\(self.bin.path)/codex")
        #expect(detection.message.contains("did not answer within 0.3 seconds"))
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await RuntimeDetectorTests.ends(pid), "the probe was killed and reaped")
    }

    @Test func aProbeWhoseChildKeepsTheOutputOpenStillFinishes() async throws {
        // The script exits at once but leaves a background child holding its output for 120 s. Waiting for that
        // child would end in the 60 s timeout; "found" shows the exit was seen when the script itself exited.
        let pidFile = "\(self.bin.path)/child"
        try self.bin.script("pi", "sleep 120 &\necho $! > '\(pidFile)'\necho 'pi 1.0'")
        let detection = await self.detector(timeout: .seconds(60)).detect("pi", runtime: .pi)
        #expect(detection.status == .found)
        #expect(detection.version == "pi 1.0")
        let child = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await RuntimeDetectorTests.ends(child), "the left-behind child was killed with the probe's process group")
    }

    /// True when `pid` no longer runs (gone, or a zombie left for its parent to reap).
    static func gone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state == "Z" || state == "X"
    }

    /// Polls until `pid` is gone (a SIGKILL is delivered asynchronously); false after a 60 s deadline (a bound).
    static func ends(_ pid: Int32) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !self.gone(pid) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
