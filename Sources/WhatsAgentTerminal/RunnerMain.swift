import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The body of `whatsagent runner`: runs one session's child until it ends, then reports and leaves.
///
/// Life cycle: read the secret (inherited descriptor or 0600 file, deleted after reading) → listen on the socket
/// and spawn the child (`RunnerServer`) → write the metadata file → report `{"pid"}` on the control descriptor →
/// serve clients → on child exit save the last 256 KiB of output (`tailPath`), rewrite the metadata with the exit,
/// wait until a client acknowledges the exit or `linger` passes → close the socket, remove the metadata file if the
/// exit was acknowledged, and exit 0. SIGTERM or SIGINT to the runner stops the child the same way `stop` does. On
/// Linux the runner is a child subreaper and, once the child has exited, ends every descendant still running
/// (`RunnerSubtree`) before the exit is recorded.
public enum RunnerMain {
    /// Everything `whatsagent runner` is told on its command line (nothing secret).
    public struct Options: Sendable {
        public var sessionID: String
        public var socketPath: String
        public var metadataPath: String
        public var tailPath: String?
        /// The inherited descriptor the secret is read from and readiness is reported on.
        public var controlDescriptor: Int32?
        /// A 0600 file holding the secret, removed once read (when there is no control descriptor).
        public var secretFile: String?
        public var command: String
        public var arguments: [String]
        public var workingDirectory: String?
        public var size: TerminalSize
        public var bufferBytes: Int
        public var stopGrace: Duration
        /// How long the runner stays after the child's exit waiting for a client to acknowledge it.
        public var linger: Duration
        public var runnerVersion: String

        public init(
            sessionID: String,
            socketPath: String,
            metadataPath: String,
            tailPath: String? = nil,
            controlDescriptor: Int32? = nil,
            secretFile: String? = nil,
            command: String,
            arguments: [String] = [],
            workingDirectory: String? = nil,
            size: TerminalSize = .default,
            bufferBytes: Int = RingBuffer.defaultCapacity,
            stopGrace: Duration = PTYProcess.defaultStopGrace,
            linger: Duration = RunnerMain.defaultLinger,
            runnerVersion: String
        ) {
            self.sessionID = sessionID
            self.socketPath = socketPath
            self.metadataPath = metadataPath
            self.tailPath = tailPath
            self.controlDescriptor = controlDescriptor
            self.secretFile = secretFile
            self.command = command
            self.arguments = arguments
            self.workingDirectory = workingDirectory
            self.size = size
            self.bufferBytes = bufferBytes
            self.stopGrace = stopGrace
            self.linger = linger
            self.runnerVersion = runnerVersion
        }
    }

    /// How long an exited runner waits for its exit to be acknowledged.
    public static let defaultLinger: Duration = .seconds(30)

    /// One line on the control descriptor.
    struct ReadyMessage: Codable {
        var pid: Int32?
        var childPID: Int32?
        var error: String?
    }

    /// Runs the runner; returns the process exit code.
    public static func run(_ options: Options) async -> Int32 {
        umask(0o077)
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let server: RunnerServer
        let metadata = MetadataBox()
        do {
            let secret = try Self.readSecret(options)
            #if os(Linux)
            let refused = RunnerSubtree.adoptOrphans()
            if refused != 0 { Self.log("runner \(options.sessionID): cannot become a child subreaper (errno \(refused))") }
            #endif
            try RunnerFiles.ensurePrivateDirectory((options.socketPath as NSString).deletingLastPathComponent)
            try RunnerFiles.ensurePrivateDirectory((options.metadataPath as NSString).deletingLastPathComponent)
            server = try await RunnerServer.start(
                RunnerServer.Configuration(
                    sessionID: options.sessionID,
                    socketPath: options.socketPath,
                    secret: secret,
                    process: PTYProcess.Configuration(
                        command: options.command,
                        arguments: options.arguments,
                        environment: ProcessInfo.processInfo.environment,
                        workingDirectory: options.workingDirectory,
                        size: options.size,
                        reapsOrphans: true
                    ),
                    bufferBytes: options.bufferBytes,
                    stopGrace: options.stopGrace
                ),
                beforeExitReported: { server, exit in
                    // No descendant outlives the session (a detached one would otherwise count as the human).
                    let ended = RunnerSubtree.endDescendants(grace: options.stopGrace)
                    if ended > 0 { Self.log("runner \(options.sessionID): ended \(ended) process(es) left behind by the child") }
                    Self.recordExit(exit, server: server, metadata: metadata, options: options)
                }
            )
            let info = server.info
            let initial = RunnerMetadata(
                protocolVersion: RunnerProtocol.version,
                sessionID: options.sessionID,
                runnerPID: getpid(),
                childPID: info.childPID,
                socketPath: options.socketPath,
                runnerVersion: options.runnerVersion,
                command: info.command,
                workingDirectory: options.workingDirectory,
                startedAt: info.startedAt
            )
            do {
                try metadata.start(initial, path: options.metadataPath)
            } catch {
                server.stop(grace: .zero)
                _ = await server.waitForExit()
                await server.shutdown()
                throw error
            }
            Self.log("runner \(options.sessionID) started: pid \(getpid()), child \(info.childPID) (\(info.command))")
            Self.report(ReadyMessage(pid: getpid(), childPID: info.childPID), on: options.controlDescriptor)
        } catch {
            let message = (error as? TerminalError)?.description ?? "\(error)"
            Self.log("runner \(options.sessionID) failed to start: \(message)")
            Self.report(ReadyMessage(error: message), on: options.controlDescriptor)
            return 1
        }

        let signalSources = Self.stopOnSignals(server)
        let exit = await server.waitForExit()
        for source in signalSources { source.cancel() }
        Self.log("runner \(options.sessionID): child \(exit)")
        let acknowledged = await server.waitForAcknowledgement(timeout: options.linger)
        await server.shutdown()
        if acknowledged { unlink(options.metadataPath) }
        Self.log("runner \(options.sessionID) exiting (exit \(acknowledged ? "acknowledged" : "not acknowledged; metadata kept"))")
        return 0
    }

    /// Saves the last 256 KiB of output and the exit into the metadata file, before clients hear of the exit.
    private static func recordExit(_ exit: PTYExitStatus, server: RunnerServer, metadata: MetadataBox, options: Options) {
        var tailPath: String?
        if let path = options.tailPath {
            do {
                try RunnerFiles.writeAtomically(Data(server.tail()), to: path)
                tailPath = path
            } catch {
                Self.log("runner \(options.sessionID): \(error)")
            }
        }
        metadata.recordExit(exit, endedAt: server.info.endedAt ?? Date(), tailPath: tailPath)
    }

    private static func readSecret(_ options: Options) throws -> String {
        var secret: String?
        if let descriptor = options.controlDescriptor {
            secret = Self.readLine(from: descriptor)
        } else if let file = options.secretFile {
            secret = try? String(contentsOfFile: file, encoding: .utf8)
            unlink(file)
        }
        guard let secret = secret?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw TerminalError.runnerFailed("no runner secret: pass --control-fd or --secret-file")
        }
        return secret
    }

    private static func readLine(from descriptor: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < 4096 {
            let count = read(descriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 || byte == 0x0A { break }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    private static func report(_ message: ReadyMessage, on descriptor: Int32?) {
        guard let descriptor else { return }
        if var data = try? RunnerJSON.encoder.encode(message) {
            data.append(0x0A)
            data.withUnsafeBytes { _ = systemWrite(descriptor, $0.baseAddress, $0.count) }
        }
        close(descriptor)
    }

    private static func stopOnSignals(_ server: RunnerServer) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            return source
        }
    }

    static func log(_ line: String) {
        let stamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        FileHandle.standardError.write(Data("\(stamp) \(line)\n".utf8))
    }
}

/// The metadata file's content, written under one lock: the exit may be recorded (from the pty thread) before or
/// after the initial write, and the file always ends up with it.
private final class MetadataBox: @unchecked Sendable {  // safe: every access holds `lock`
    private let lock = NSLock()
    private var stored: RunnerMetadata?
    private var path: String?
    private var exit: (status: PTYExitStatus, endedAt: Date, tailPath: String?)?

    func start(_ metadata: RunnerMetadata, path: String) throws {
        try self.lock.withLock {
            self.stored = metadata
            self.path = path
            try self.writeLocked()
        }
    }

    func recordExit(_ status: PTYExitStatus, endedAt: Date, tailPath: String?) {
        self.lock.withLock {
            self.exit = (status, endedAt, tailPath)
            try? self.writeLocked()
        }
    }

    private func writeLocked() throws {
        guard var metadata = self.stored, let path = self.path else { return }
        if let exit = self.exit {
            metadata.exit = exit.status
            metadata.endedAt = exit.endedAt
            metadata.tailPath = exit.tailPath
        }
        try metadata.write(to: path)
    }
}
