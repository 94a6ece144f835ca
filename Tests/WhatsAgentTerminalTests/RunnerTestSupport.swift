import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import WhatsAgentTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A runner started through `RunnerLauncher` from the built `whatsagent` binary (`swift build` puts it next to
/// the test bundle), in its own short temporary directory. A runner still running when the test lets go of it
/// (a failed test) gets SIGTERM, which stops its child.
final class LaunchedRunner: Sendable {
    let directory: TemporaryDirectory
    let request: RunnerLauncher.Request
    let launched: RunnerLauncher.Launched

    init(directory: TemporaryDirectory, request: RunnerLauncher.Request, launched: RunnerLauncher.Launched) {
        self.directory = directory
        self.request = request
        self.launched = launched
    }

    deinit {
        if isRunning(self.launched.runnerPID) { kill(self.launched.runnerPID, SIGTERM) }
    }

    static var executable: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("whatsagent").path
    }

    static func start(
        _ script: String,
        stopGrace: Duration = .seconds(5),
        linger: Duration = .seconds(30),
        environment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
    ) async throws -> LaunchedRunner {
        let directory = try TemporaryDirectory()
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build the whatsagent binary first: swift build")
        let request = RunnerLauncher.Request(
            executable: Self.executable,
            sessionID: "s1",
            socketPath: "\(directory.path)/run/s1.sock",
            metadataPath: "\(directory.path)/run/s1.json",
            tailPath: "\(directory.path)/run/s1.tail",
            logPath: "\(directory.path)/runner.log",
            command: "/bin/sh",
            arguments: ["-c", script],
            environment: environment,
            workingDirectory: directory.path,
            stopGrace: stopGrace,
            linger: linger
        )
        let launched = try await RunnerLauncher.launch(request)
        return LaunchedRunner(directory: directory, request: request, launched: launched)
    }

    func connect(secret: String? = nil) async throws -> RunnerConnection {
        try await RunnerConnection.connect(socketPath: self.request.socketPath, secret: secret ?? self.launched.secret)
    }

    var log: String {
        (try? String(contentsOfFile: self.request.logPath ?? "", encoding: .utf8)) ?? ""
    }
}

/// Collects a subscription's events.
final class EventRecorder: Sendable {
    private let state = NIOLockedValueBox<(events: [RunnerEvent], finished: Bool, error: String?)>(([], false, nil))

    /// Subscribes and records in the background.
    @discardableResult
    static func subscribe(_ connection: RunnerConnection, fromOffset: UInt64? = nil) -> EventRecorder {
        let recorder = EventRecorder()
        let stream = connection.subscribe(fromOffset: fromOffset)
        Task {
            do {
                for try await event in stream { recorder.state.withLockedValue { $0.events.append(event) } }
                recorder.state.withLockedValue { $0.finished = true }
            } catch {
                recorder.state.withLockedValue {
                    $0.finished = true
                    $0.error = "\(error)"
                }
            }
        }
        return recorder
    }

    var events: [RunnerEvent] { self.state.withLockedValue { $0.events } }
    var finished: Bool { self.state.withLockedValue { $0.finished } }
    var error: String? { self.state.withLockedValue { $0.error } }

    var output: [UInt8] {
        self.events.flatMap { event -> [UInt8] in
            if case .output(_, let bytes) = event { return bytes }
            return []
        }
    }

    var text: String { String(decoding: self.output, as: UTF8.self) }

    var exit: PTYExitStatus? {
        for case .exited(let status) in self.events { return status }
        return nil
    }

    func waitForText(_ needle: String) async throws {
        try await eventually("output containing \(needle.debugDescription); got \(self.text.suffix(200).debugDescription)") {
            self.text.contains(needle)
        }
    }

    func waitForExit() async throws -> PTYExitStatus {
        try await eventually("the exited event") { self.exit != nil && self.finished }
        return try #require(self.exit)
    }
}

/// Mode bits of a file.
func permissions(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
}

/// Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, session.
func processStat(_ pid: Int32) -> (ppid: Int32, pgrp: Int32, session: Int32)? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 4, let ppid = Int32(fields[1]), let pgrp = Int32(fields[2]), let session = Int32(fields[3]) else { return nil }
    return (ppid, pgrp, session)
}
