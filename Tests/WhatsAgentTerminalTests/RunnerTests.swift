import Foundation
import Testing

@testable import WhatsAgentTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Through a real `whatsagent runner` process started by `RunnerLauncher`.
@Suite("Runner")
struct RunnerTests {
    @Test("protocol round trip: info, replay + live output, input, resize, exit, acknowledgement, files")
    func roundTrip() async throws {
        let runner = try await LaunchedRunner.start("echo hello; read line; echo got:$line; read line; stty size; exit 3")
        let connection = try await runner.connect()
        #expect(connection.info.protocolVersion == RunnerProtocol.version)
        #expect(connection.info.sessionID == "s1")
        #expect(connection.info.runnerPID == runner.launched.runnerPID)
        #expect(connection.info.childPID == runner.launched.childPID)
        #expect(connection.info.size == .default)
        #expect(connection.info.exit == nil)

        // Detached: its own session and process group, not our child; files are owner-only.
        let stat = try #require(processStat(runner.launched.runnerPID))
        #expect(stat.session == runner.launched.runnerPID && stat.pgrp == runner.launched.runnerPID)
        #expect(stat.ppid != getpid())
        #expect(permissions(runner.request.socketPath) == 0o600)
        #expect(permissions(runner.request.metadataPath) == 0o600)
        let metadata = try RunnerMetadata.read(from: runner.request.metadataPath)
        #expect(metadata.runnerPID == runner.launched.runnerPID && metadata.childPID == runner.launched.childPID)
        #expect(metadata.socketPath == runner.request.socketPath && metadata.sessionID == "s1")
        #expect(metadata.protocolVersion == RunnerProtocol.version && metadata.isRunnerAlive)

        let events = EventRecorder.subscribe(connection)
        try await events.waitForText("hello\r\n")
        try await connection.send(input: Array("abc\n".utf8))
        try await events.waitForText("got:abc")
        try await connection.resize(TerminalSize(cols: 90, rows: 20))
        try await eventually("the resized event") { events.events.contains(.resized(TerminalSize(cols: 90, rows: 20))) }
        try await connection.send(input: Array("\n".utf8))
        #expect(try await events.waitForExit() == PTYExitStatus(code: 3))
        #expect(events.text.contains("20 90"))
        #expect(events.error == nil)
        guard case .subscribed(startOffset: 0, requestedOffset: nil) = events.events.first else {
            Issue.record("the first event is not subscribed: \(events.events.first.map { "\($0)" } ?? "none")")
            return
        }
        // Offsets are contiguous from zero.
        var next: UInt64 = 0
        for case .output(let offset, let bytes) in events.events {
            #expect(offset == next)
            next = offset + UInt64(bytes.count)
        }
        let info = try await connection.requestInfo()
        #expect(info.exit == PTYExitStatus(code: 3) && info.endOffset == next && info.endedAt != nil)

        // Exit recorded in the metadata and the tail saved, until the exit is acknowledged.
        let ended = try RunnerMetadata.read(from: runner.request.metadataPath)
        #expect(ended.exit == PTYExitStatus(code: 3))
        #expect(ended.tailPath == runner.request.tailPath)
        let tail = try String(contentsOfFile: try #require(runner.request.tailPath), encoding: .utf8)
        #expect(tail.contains("hello") && tail.contains("got:abc"))
        #expect(permissions(try #require(runner.request.tailPath)) == 0o600)
        try await connection.acknowledgeExit()
        try await eventually("the runner exits") { !isRunning(runner.launched.runnerPID) }
        #expect(!FileManager.default.fileExists(atPath: runner.request.socketPath))
        #expect(!FileManager.default.fileExists(atPath: runner.request.metadataPath))
        #expect(!runner.log.contains(runner.launched.secret))
        await connection.close()
    }

    @Test("several subscribers see the same live output; a late one gets the tail; offsets resume")
    func severalSubscribers() async throws {
        let runner = try await LaunchedRunner.start("echo first; read line; echo second; read line")
        let one = try await runner.connect()
        let two = try await runner.connect()
        let first = EventRecorder.subscribe(one)
        try await first.waitForText("first")
        let resumeAt = try await one.requestInfo().endOffset
        let second = EventRecorder.subscribe(two, fromOffset: resumeAt)
        try await eventually("the second subscription") { !second.events.isEmpty }
        try await one.send(input: Array("x\n".utf8))
        try await first.waitForText("second")
        try await second.waitForText("second")
        #expect(!second.text.contains("first"))

        // The first connection goes away; the runner keeps running and a new viewer restores the whole tail.
        await one.close()
        let three = try await runner.connect()
        let late = EventRecorder.subscribe(three)
        try await late.waitForText("second")
        #expect(late.text.contains("first"))
        try await three.send(input: Array("\n".utf8))
        #expect(try await late.waitForExit() == PTYExitStatus(code: 0))
        #expect(try await second.waitForExit() == PTYExitStatus(code: 0))
        try await three.acknowledgeExit()
        try await eventually("the runner exits") { !isRunning(runner.launched.runnerPID) }
    }

    @Test("viewers that vanish mid-replay never take the runner down (writes happen outside the state lock)")
    func vanishingViewers() async throws {
        // A large tail, so the replay is still being written when each viewer disconnects: the failing write closes
        // the channel on the runner's event loop, whose close handler takes the state lock again.
        let runner = try await LaunchedRunner.start("head -c 300000 /dev/zero | tr '\\0' x; echo; echo ready; cat")
        let first = EventRecorder.subscribe(try await runner.connect())
        try await first.waitForText("ready")
        for _ in 0..<40 {
            let viewer = try await runner.connect()
            var events = viewer.subscribe().makeAsyncIterator()
            _ = try await events.next()
            await viewer.close()
        }
        #expect(isRunning(runner.launched.runnerPID), "runner log:\n\(runner.log)")
        let last = try await runner.connect()
        let late = EventRecorder.subscribe(last)
        try await last.send(input: Array("still here\n".utf8))
        try await late.waitForText("still here")
        try await last.stop(grace: .seconds(1))
        _ = try await late.waitForExit()
        try await last.acknowledgeExit()
        try await eventually("the runner exits") { !isRunning(runner.launched.runnerPID) }
    }

    @Test("a wrong secret and another protocol version are refused clearly")
    func refusals() async throws {
        let runner = try await LaunchedRunner.start("echo ready; read line")
        await #expect(throws: TerminalError.refused(code: "unauthorized", message: "wrong runner secret")) {
            _ = try await runner.connect(secret: String(repeating: "0", count: 64))
        }
        await #expect(throws: TerminalError.versionMismatch(runner: RunnerProtocol.version, client: 99)) {
            _ = try await RunnerConnection.connect(
                socketPath: runner.request.socketPath,
                secret: runner.launched.secret,
                version: 99,
                timeout: .seconds(10)
            )
        }
        #expect(TerminalError.versionMismatch(runner: 1, client: 2).description.contains("relaunch"))
        // The runner is unharmed.
        let connection = try await runner.connect()
        try await connection.stop()
        let events = EventRecorder.subscribe(connection)
        #expect(try await events.waitForExit() == PTYExitStatus(signal: SIGTERM))
        try await connection.acknowledgeExit()
    }

    @Test("stop: a child that ignores SIGTERM and SIGHUP is killed after the grace period")
    func stopEscalates() async throws {
        let runner = try await LaunchedRunner.start("trap '' TERM HUP; echo ready; sleep 1000")
        let connection = try await runner.connect()
        let events = EventRecorder.subscribe(connection)
        try await events.waitForText("ready")
        try await connection.stop(grace: .milliseconds(200))
        #expect(try await events.waitForExit() == PTYExitStatus(signal: SIGKILL))
        try await connection.acknowledgeExit()
        try await eventually("the runner exits") { !isRunning(runner.launched.runnerPID) }
        #expect(!isRunning(runner.launched.childPID))
    }

    @Test("a flood of output reaches a subscriber completely and in order")
    func flood() async throws {
        let count = 3_000_000
        let runner = try await LaunchedRunner.start("read go; head -c \(count) /dev/zero | tr '\\0' x; echo; echo END")
        let connection = try await runner.connect()
        let events = EventRecorder.subscribe(connection)
        try await eventually("subscribed") { !events.events.isEmpty }
        try await connection.send(input: Array("\n".utf8))
        #expect(try await events.waitForExit() == PTYExitStatus(code: 0))
        let output = events.output
        #expect(output.filter { $0 == UInt8(ascii: "x") }.count == count)
        #expect(String(decoding: output.suffix(5), as: UTF8.self) == "END\r\n")
        let info = try await connection.requestInfo()
        #expect(info.endOffset == UInt64(output.count))
        #expect(info.endOffset - info.startOffset == UInt64(RingBuffer.defaultCapacity))
        try await connection.acknowledgeExit()
    }

    @Test("a waiting-for-approval prompt raises the attention flag; input clears it")
    func attention() async throws {
        let runner = try await LaunchedRunner.start("read x; printf 'Do you want to \\033[1mproceed\\033[0m? '; read y; echo done")
        let connection = try await runner.connect()
        let events = EventRecorder.subscribe(connection)
        try await eventually("subscribed") { !events.events.isEmpty }
        try await connection.send(input: Array("\n".utf8))
        try await eventually("the attention event") { events.events.contains(.attention("do you want to proceed")) }
        #expect(try await connection.requestInfo().attention == "do you want to proceed")
        try await connection.send(input: Array("y\n".utf8))
        try await eventually("attention cleared") { events.events.contains(.attention(nil)) }
        #expect(try await events.waitForExit() == PTYExitStatus(code: 0))
        try await connection.acknowledgeExit()
    }

    @Test("without an acknowledgement the runner lingers, then exits keeping its metadata with the exit")
    func lingerWithoutAcknowledgement() async throws {
        let runner = try await LaunchedRunner.start("echo bye; exit 5", linger: .milliseconds(300))
        try await eventually("the runner exits") { !isRunning(runner.launched.runnerPID) }
        let metadata = try RunnerMetadata.read(from: runner.request.metadataPath)
        #expect(metadata.exit == PTYExitStatus(code: 5))
        #expect(!metadata.isRunnerAlive)
        #expect(!FileManager.default.fileExists(atPath: runner.request.socketPath))
        let tail = try String(contentsOfFile: try #require(metadata.tailPath), encoding: .utf8)
        #expect(tail == "bye\r\n")
    }

    @Test("a missing command fails the launch with a clear error")
    func launchFailure() async throws {
        let directory = try TemporaryDirectory()
        let request = RunnerLauncher.Request(
            executable: LaunchedRunner.executable,
            sessionID: "s2",
            socketPath: "\(directory.path)/s2.sock",
            metadataPath: "\(directory.path)/s2.json",
            command: "no-such-agent-xyz",
            environment: ["PATH": "/usr/bin:/bin"]
        )
        await #expect(throws: TerminalError.runnerFailed(TerminalError.commandNotFound("no-such-agent-xyz").description)) {
            _ = try await RunnerLauncher.launch(request)
        }
        #expect(!FileManager.default.fileExists(atPath: request.socketPath))
        #expect(!FileManager.default.fileExists(atPath: request.metadataPath))

        var tooLong = request
        tooLong.socketPath = "/tmp/" + String(repeating: "a", count: 110) + ".sock"
        await #expect(throws: TerminalError.socketPathTooLong(tooLong.socketPath)) {
            _ = try await RunnerLauncher.launch(tooLong)
        }
    }

    @Test("kill -9 of the runner hangs up its child and leaves the metadata for the daemon")
    func runnerKilled() async throws {
        let runner = try await LaunchedRunner.start("echo ready; sleep 1000")
        let connection = try await runner.connect()
        let events = EventRecorder.subscribe(connection)
        try await events.waitForText("ready")
        kill(runner.launched.runnerPID, SIGKILL)
        try await eventually("the connection ends") { events.finished }
        #expect(events.error != nil)
        try await eventually("the child is hung up") { !isRunning(runner.launched.childPID) }
        let metadata = try RunnerMetadata.read(from: runner.request.metadataPath)
        #expect(metadata.exit == nil && !metadata.isRunnerAlive)
    }
}
