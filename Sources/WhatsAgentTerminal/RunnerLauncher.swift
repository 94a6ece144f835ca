import CPty
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts `whatsagent runner` fully detached (new session, reparented to init, stdio to /dev/null and a log file)
/// and waits until it listens — or reports why it could not start.
///
/// The secret goes to the runner over one end of a socket pair inherited as descriptor 3, which the runner also
/// answers on with one JSON line; it never appears on a command line. The child's environment is the runner's
/// environment (`TERM` is forced to `xterm-256color`).
public enum RunnerLauncher {
    /// What to launch.
    public struct Request: Sendable {
        /// The `whatsagent` executable (absolute path).
        public var executable: String
        public var sessionID: String
        public var socketPath: String
        public var metadataPath: String
        public var tailPath: String?
        /// The runner's stderr (appended; created 0600); /dev/null when nil.
        public var logPath: String?
        public var command: String
        public var arguments: [String]
        /// The child's environment (SPEC §6.2 variables included by the caller).
        public var environment: [String: String]
        public var workingDirectory: String?
        public var size: TerminalSize
        public var bufferBytes: Int
        public var stopGrace: Duration
        public var linger: Duration
        /// How long to wait for the runner to report.
        public var timeout: Duration

        public init(
            executable: String,
            sessionID: String,
            socketPath: String,
            metadataPath: String,
            tailPath: String? = nil,
            logPath: String? = nil,
            command: String,
            arguments: [String] = [],
            environment: [String: String],
            workingDirectory: String? = nil,
            size: TerminalSize = .default,
            bufferBytes: Int = RingBuffer.defaultCapacity,
            stopGrace: Duration = PTYProcess.defaultStopGrace,
            linger: Duration = RunnerMain.defaultLinger,
            timeout: Duration = .seconds(15)
        ) {
            self.executable = executable
            self.sessionID = sessionID
            self.socketPath = socketPath
            self.metadataPath = metadataPath
            self.tailPath = tailPath
            self.logPath = logPath
            self.command = command
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.size = size
            self.bufferBytes = bufferBytes
            self.stopGrace = stopGrace
            self.linger = linger
            self.timeout = timeout
        }
    }

    /// A started runner: connect with `RunnerConnection.connect(socketPath:secret:)`.
    public struct Launched: Sendable {
        public var runnerPID: Int32
        public var childPID: Int32
        public var secret: String
    }

    /// The descriptor the runner inherits the control socket as.
    public static let controlDescriptor: Int32 = 3

    /// The `whatsagent` arguments that start the runner for `request` (what `RunnerCommand` parses).
    public static func arguments(for request: Request) -> [String] {
        var arguments = [
            "runner",
            "--session-id", request.sessionID,
            "--socket", request.socketPath,
            "--metadata", request.metadataPath,
            "--control-fd", String(Self.controlDescriptor),
            "--cols", String(request.size.cols),
            "--rows", String(request.size.rows),
            "--buffer-bytes", String(request.bufferBytes),
            "--grace-ms", String(request.stopGrace.milliseconds),
            "--linger-ms", String(request.linger.milliseconds),
        ]
        if let tailPath = request.tailPath { arguments += ["--tail-file", tailPath] }
        if let workingDirectory = request.workingDirectory { arguments += ["--cwd", workingDirectory] }
        return arguments + ["--", request.command] + request.arguments
    }

    /// Launches the runner and returns once it listens (its metadata file is written by then).
    public static func launch(_ request: Request) async throws -> Launched {
        guard request.socketPath.utf8.count <= RunnerFiles.maxSocketPathBytes else {
            throw TerminalError.socketPathTooLong(request.socketPath)
        }
        try RunnerFiles.ensurePrivateDirectory((request.socketPath as NSString).deletingLastPathComponent)
        let secret = RunnerSecret.generate()
        var pair: [Int32] = [-1, -1]
        #if os(Linux)
        let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let streamType = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, streamType, 0, &pair) == 0 else {
            throw TerminalError.runnerFailed("cannot create the runner control socket: \(TerminalError.errorText(errno))")
        }
        let ours = pair[0]
        let theirs = pair[1]
        _ = fcntl(ours, F_SETFD, FD_CLOEXEC)
        _ = fcntl(theirs, F_SETFD, FD_CLOEXEC)
        defer { close(ours) }

        let argv = ([request.executable] + Self.arguments(for: request)).map { strdup($0) } + [nil]
        let envp = request.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let logPath = request.logPath.map { strdup($0) } ?? nil
        defer {
            for pointer in argv + envp { free(pointer) }
            free(logPath)
        }
        var pid: pid_t = 0
        let result = cpty_spawn_detached(request.executable, argv, envp, logPath, theirs, Self.controlDescriptor, &pid)
        close(theirs)
        guard result.stage == Int32(CPTY_STAGE_NONE.rawValue) else {
            throw TerminalError.spawnFailed(command: request.executable, stage: "starting the runner (step \(result.stage))", errno: result.error)
        }

        let line = Array("\(secret)\n".utf8)
        guard line.withUnsafeBytes({ systemWrite(ours, $0.baseAddress, $0.count) }) == line.count else {
            throw TerminalError.runnerFailed("cannot hand the secret to the runner: \(TerminalError.errorText(errno))")
        }
        guard let reply = try await Self.readLine(from: ours, timeout: request.timeout),
            let message = try? RunnerJSON.decoder.decode(RunnerMain.ReadyMessage.self, from: Data(reply))
        else {
            throw TerminalError.runnerFailed(
                "the runner exited before it was ready\(request.logPath.map { "; see \($0)" } ?? "")"
            )
        }
        if let error = message.error { throw TerminalError.runnerFailed(error) }
        return Launched(runnerPID: message.pid ?? pid, childPID: message.childPID ?? 0, secret: secret)
    }

    /// Reads one line on a dedicated thread blocked in poll(2), giving up after `timeout`.
    private static func readLine(from descriptor: Int32, timeout: Duration) async throws -> [UInt8]? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                var line: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 1024)
                while true {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&poller, 1, Int32(clamping: max(0, remaining.milliseconds)))
                    if ready == 0 {
                        continuation.resume(throwing: TerminalError.timedOut("the runner did not report ready within \(timeout)"))
                        return
                    }
                    if ready < 0, errno == EINTR { continue }
                    let count = read(descriptor, &buffer, buffer.count)
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                    line.append(contentsOf: buffer[0..<count])
                    if let newline = line.firstIndex(of: 0x0A) {
                        line = Array(line[..<newline])
                        break
                    }
                }
                continuation.resume(returning: line.isEmpty ? nil : line)
            }
            thread.start()
        }
    }
}
