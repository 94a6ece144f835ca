import Foundation
import Testing

@testable import WhatsAgentTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serialized: the descriptor-count test counts every `/dev/ptmx` this process holds.
@Suite("PTYProcess", .serialized)
struct PTYProcessTests {
    @Test("output arrives as it is produced and the exit code is reported after it")
    func outputAndExitCode() async throws {
        let (process, recorder) = try spawnShell("printf 'hello\\n'; exit 7")
        let status = await process.waitForExit()
        #expect(status == PTYExitStatus(code: 7))
        #expect(recorder.text.contains("hello\r\n"))
        #expect(recorder.exit == PTYExitStatus(code: 7))
        #expect(recorder.eventsAfterExit == 0)
        #expect(process.exitStatus == status)
    }

    @Test("a child killed by a signal reports the signal, not a code")
    func signalReported() async throws {
        let (process, _) = try spawnShell("kill -USR1 $$")
        let status = await process.waitForExit()
        #expect(status == PTYExitStatus(signal: SIGUSR1))
    }

    @Test("input reaches the child in order and the terminal echoes it; Ctrl-D ends cat")
    func inputEchoes() async throws {
        let (process, recorder) = try spawnShell("exec cat")
        #expect(process.write(Array("ping\n".utf8)))
        #expect(process.write(Array("pong\n".utf8)))
        // The tty echoes the line, then cat writes it back: each line appears twice.
        try await eventually("two echoes of each line") {
            recorder.text.components(separatedBy: "ping\r\n").count == 3 && recorder.text.components(separatedBy: "pong\r\n").count == 3
        }
        #expect(recorder.text.range(of: "ping")!.lowerBound < recorder.text.range(of: "pong")!.lowerBound)
        process.write([0x04])
        #expect(await process.waitForExit() == PTYExitStatus(code: 0))
        #expect(!process.write(Array("late".utf8)))
    }

    @Test("the child runs in its own session with the pty as controlling terminal, TERM set, in the given directory")
    func sessionEnvironmentAndDirectory() async throws {
        let directory = try TemporaryDirectory()
        let (process, recorder) = try spawnShell(
            "exec 3</dev/tty && echo CTTY-OK; echo TERM=$TERM; echo PWD=$(pwd); echo SID=$(ps -o sid= -p $$ | tr -d ' ') PID=$$; stty size",
            workingDirectory: directory.path,
            environment: ["PATH": "/usr/bin:/bin", "TERM": "dumb", "EXTRA": "1"]
        )
        #expect(await process.waitForExit() == PTYExitStatus(code: 0))
        let text = recorder.text
        #expect(text.contains("CTTY-OK"))
        #expect(text.contains("TERM=xterm-256color"))
        #expect(text.contains("PWD=\(directory.path)"))
        #expect(text.contains("SID=\(process.pid) PID=\(process.pid)"))
        #expect(text.contains("32 120"))
    }

    @Test("signal dispositions and the mask are reset and no descriptor beyond stdio is inherited")
    func cleanChildState() async throws {
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let (process, recorder) = try spawnShell("exec grep -E '^Sig(Ign|Blk)' /proc/self/status; ", environment: ["PATH": "/usr/bin:/bin"])
        #expect(await process.waitForExit() == PTYExitStatus(code: 0))
        #expect(recorder.text.contains("SigIgn:\t0000000000000000"))
        #expect(recorder.text.contains("SigBlk:\t0000000000000000"))

        // `ls` lists its own descriptors: 0, 1, 2 and the one it reads the directory with.
        let (lister, listing) = try spawnShell("exec ls /proc/self/fd")
        #expect(await lister.waitForExit() == PTYExitStatus(code: 0))
        let descriptors = listing.text.split(whereSeparator: { $0.isWhitespace }).compactMap { Int($0) }
        #expect(descriptors == [0, 1, 2, 3])
    }

    @Test("resize reaches the child (stty size) and delivers SIGWINCH")
    func resize() async throws {
        let (process, recorder) = try spawnShell("trap 'echo WINCH' WINCH; echo ready; read line; stty size")
        try await recorder.waitForText("ready")
        try process.resize(TerminalSize(cols: 100, rows: 40))
        #expect(process.size == TerminalSize(cols: 100, rows: 40))
        try await recorder.waitForText("WINCH")
        process.write(Array("\n".utf8))
        #expect(await process.waitForExit() == PTYExitStatus(code: 0))
        #expect(recorder.text.contains("40 100"))
        #expect(throws: TerminalError.invalidSize(TerminalSize(cols: 0, rows: 10))) {
            try process.resize(TerminalSize(cols: 0, rows: 10))
        }
    }

    @Test("the redraw nudge shrinks the terminal by a row (SIGWINCH) and restores it")
    func redraw() async throws {
        let (process, recorder) = try spawnShell("trap 'echo WINCH' WINCH; echo ready; while :; do sleep 1; done")
        try await recorder.waitForText("ready")
        let nudge = Task { try await process.redraw(pause: .seconds(30)) }
        try await eventually("the shrunk size") { process.kernelSize == TerminalSize(cols: 120, rows: 31) }
        #expect(process.size == .default)
        try await recorder.waitForText("WINCH")
        nudge.cancel()
        try await nudge.value
        #expect(process.kernelSize == .default)
        await process.stop(grace: .seconds(10))
    }

    @Test("stop sends SIGTERM to the process group")
    func stopTerminates() async throws {
        let (process, recorder) = try spawnShell("echo ready; sleep 1000")
        try await recorder.waitForText("ready")
        let status = await process.stop(grace: .seconds(30))
        #expect(status == PTYExitStatus(signal: SIGTERM))
        // Stopping twice is harmless and returns the same status.
        #expect(await process.stop() == status)
    }

    @Test("a child that ignores SIGTERM gets SIGHUP after 2/5 of the grace period (a shell ends on it)")
    func stopHangsUp() async throws {
        let (process, recorder) = try spawnShell("trap '' TERM; echo ready; sleep 1000; echo survived")
        try await recorder.waitForText("ready")
        let started = ContinuousClock.now
        let status = await process.stop()
        #expect(status == PTYExitStatus(signal: SIGHUP))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(2) && elapsed < PTYProcess.defaultStopGrace)
        #expect(!recorder.text.contains("survived"))
    }

    @Test("a child that ignores SIGTERM and SIGHUP is killed with SIGKILL after the grace period")
    func stopEscalates() async throws {
        let (process, recorder) = try spawnShell("trap '' TERM HUP; echo ready; sleep 1000; echo survived")
        try await recorder.waitForText("ready")
        let started = ContinuousClock.now
        let status = await process.stop(grace: .milliseconds(300))
        #expect(status == PTYExitStatus(signal: SIGKILL))
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(!recorder.text.contains("survived"))
    }

    @Test("a flood of output is delivered completely, without blocking, tail included")
    func flood() async throws {
        let count = 3_000_000
        let (process, recorder) = try spawnShell("head -c \(count) /dev/zero | tr '\\0' x; echo; echo END")
        #expect(await process.waitForExit() == PTYExitStatus(code: 0))
        let output = recorder.output
        #expect(output.filter { $0 == UInt8(ascii: "x") }.count == count)
        #expect(String(decoding: output.suffix(5), as: UTF8.self) == "END\r\n")
    }

    @Test("a missing command or directory is a clear error and leaves nothing behind")
    func spawnFailures() async throws {
        #expect(throws: TerminalError.commandNotFound("no-such-command-xyz")) {
            _ = try PTYProcess.spawn(PTYProcess.Configuration(command: "no-such-command-xyz", environment: ["PATH": "/usr/bin:/bin"])) { _ in }
        }
        do {
            _ = try PTYProcess.spawn(PTYProcess.Configuration(command: "/bin/sh", workingDirectory: "/nonexistent-dir-xyz")) { _ in }
            Issue.record("spawn in a missing directory succeeded")
        } catch let error as TerminalError {
            #expect(error.description.contains("changing to the working directory /nonexistent-dir-xyz"))
            #expect(error.description.contains("No such file or directory"))
        }
    }

    @Test("children are reaped and no descriptor leaks")
    func noZombiesNoLeakedDescriptors() async throws {
        let baseline = openDescriptorCount(pointingAt: "/dev/ptmx")
        for index in 0..<10 {
            let (process, recorder) = try spawnShell("echo ready; read line; echo done")
            let identities = process.ownedDescriptors.map { ($0, descriptorIdentity($0)) }
            #expect(identities.allSatisfy { $0.1 != nil })
            try await recorder.waitForText("ready")
            if index % 2 == 1 {
                await process.stop(grace: .seconds(10))
            } else {
                process.write(Array("\n".utf8))
                #expect(await process.waitForExit() == PTYExitStatus(code: 0))
            }
            #expect(!isUnreapedChild(process.pid))
            for (descriptor, identity) in identities {
                // Closed, or reused by someone else for a different file.
                let now = descriptorIdentity(descriptor)
                #expect(now == nil || now! != identity!, "descriptor \(descriptor) still open")
            }
        }
        #expect(openDescriptorCount(pointingAt: "/dev/ptmx") == baseline)
    }
}
