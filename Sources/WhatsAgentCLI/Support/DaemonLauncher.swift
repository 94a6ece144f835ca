import Foundation
import WhatsAgentAPI
import WhatsAgentCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the daemon as a detached process (its own session, no terminal) and waits for it to say it is ready.
///
/// The child is this executable re-run with `start --foreground`; it reports readiness — or the error that stopped
/// it — as one JSON line on an inherited pipe (`WHATSAGENT_READY_FD`), so the parent waits on an event, not a timer.
enum DaemonLauncher {
    /// The environment variable naming the descriptor the foreground daemon reports readiness on.
    static let readyDescriptorVariable = "WHATSAGENT_READY_FD"
    static let readyDescriptor: Int32 = 3

    /// One line on the readiness pipe.
    struct ReadyMessage: Codable {
        var info: DaemonInfo?
        var error: APIErrorBody.Detail?
    }

    /// Spawns the daemon and returns its details once it listens.
    static func startDetached(arguments: [String], home: HomeLayout, timeout: Duration = .seconds(60)) async throws -> DaemonInfo {
        var pipeDescriptors: [Int32] = [0, 0]
        guard pipe(&pipeDescriptors) == 0 else { throw Self.failure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        // Keep both ends above the standard descriptors and close-on-exec; the child gets a fresh copy as fd 3.
        let readEnd = fcntl(pipeDescriptors[0], F_DUPFD_CLOEXEC, 10)
        let writeEnd = fcntl(pipeDescriptors[1], F_DUPFD_CLOEXEC, 10)
        close(pipeDescriptors[0])
        close(pipeDescriptors[1])
        defer { close(readEnd) }

        let pid: pid_t
        do {
            pid = try self.spawn(arguments: arguments, readyWriteEnd: writeEnd, stderrPath: "\(home.logsDirectory)/daemon.stderr.log")
        } catch {
            close(writeEnd)
            throw error
        }
        close(writeEnd)

        let line = try await Self.readLine(from: readEnd, timeout: timeout)
        var status: Int32 = 0
        guard let data = line, let message = try? WireJSON.decoder().decode(ReadyMessage.self, from: data) else {
            // The child died before reporting; reap it and point at its log.
            waitpid(pid, &status, 0)
            throw Self.failure(
                "the daemon exited before it was ready; see \(home.logsDirectory)/daemon.stderr.log and \(home.logFile)"
            )
        }
        if let info = message.info { return info }
        waitpid(pid, &status, 0)
        let error = message.error ?? APIErrorBody.Detail(code: "start_failed", message: "the daemon failed to start")
        throw CLIFailure(code: error.code, message: error.message, exit: CLIFailure.exit(forCode: error.code))
    }

    /// The path of the running executable.
    static func executablePath() -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    private static func spawn(arguments: [String], readyWriteEnd: Int32, stderrPath: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        #if os(Linux)
        let newSession: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
        #else
        let newSession = Int32(POSIX_SPAWN_SETSID)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(newSession | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)))
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, readyWriteEnd, Self.readyDescriptor)

        var environment = ProcessInfo.processInfo.environment
        environment[Self.readyDescriptorVariable] = String(Self.readyDescriptor)
        let executable = Self.executablePath()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Self.failure("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Reads until the first newline or EOF, waiting at most `timeout` for the daemon to report.
    private static func readLine(from descriptor: Int32, timeout: Duration) async throws -> Data? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    let milliseconds = Int32(max(0, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&poller, 1, milliseconds)
                    if ready == 0 {
                        continuation.resume(throwing: Self.failure("the daemon did not report ready within \(timeout); see its log"))
                        return
                    }
                    if ready < 0 && errno == EINTR { continue }
                    let count = read(descriptor, &buffer, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    data.append(contentsOf: buffer[0..<count])
                    if let newline = data.firstIndex(of: 0x0A) {
                        data = data[..<newline]
                        break
                    }
                }
                continuation.resume(returning: data.isEmpty ? nil : Data(data))
            }
            thread.start()
        }
    }

    /// Writes the readiness message to the pipe inherited from `startDetached`, if any.
    /// The readiness pipe inherited from `startDetached`, if any, taken out of the environment (read it once, first
    /// thing): nothing the daemon starts later — runners, agents, `git` — inherits the variable.
    static func takeReadyDescriptor() -> Int32? {
        let value = ProcessInfo.processInfo.environment[Self.readyDescriptorVariable]
        unsetenv(Self.readyDescriptorVariable)
        return value.flatMap { Int32($0) }
    }

    /// Writes the readiness message to `descriptor` (from `takeReadyDescriptor`) and closes it.
    static func reportReady(_ message: ReadyMessage, to descriptor: Int32?) {
        guard let descriptor, var data = try? WireJSON.encoder().encode(message) else { return }
        data.append(0x0A)
        data.withUnsafeBytes { buffer in _ = write(descriptor, buffer.baseAddress, buffer.count) }
        close(descriptor)
    }

    private static func failure(_ message: String) -> CLIFailure {
        CLIFailure(code: "start_failed", message: message, exit: .failed)
    }
}
