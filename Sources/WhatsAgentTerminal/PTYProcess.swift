import CPty
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command running in its own pseudo-terminal: the leader of a new session whose controlling terminal is the pty.
///
/// The C shim (`CPty`) forks and execs; nothing forks from Swift. Two threads per process, both blocked in the
/// kernel rather than polling on a timer: the I/O thread waits in `poll(2)` on the pty master and a wake-up pipe
/// (reads output, writes queued input), and the reaper thread waits in `waitid(2)` for the child. Events go to the
/// `onEvent` handler on the I/O thread, in order; the handler must not block for long (it back-pressures the child).
/// `exited` comes last, once the child is reaped and its output drained (the pty reports EOF, or `exitDrainTimeout`
/// passes because a descendant still holds the terminal); then the master is closed.
public final class PTYProcess: Sendable {
    /// What to run and how.
    public struct Configuration: Sendable {
        /// The absolute path of the executable, already resolved by the daemon (`ExecutableLookup` in
        /// WhatsAgentRuntimes): the pty does not search `PATH` itself (``ResolvedExecutable``).
        public var command: String
        public var arguments: [String]
        /// The child's complete environment; `TERM=xterm-256color` is always set (SPEC §6.1).
        public var environment: [String: String]
        /// The child's working directory (inherited when nil).
        public var workingDirectory: String?
        public var size: TerminalSize
        /// How long output is still read after the child exited when the terminal stays open (a background
        /// descendant holding it).
        public var exitDrainTimeout: Duration
        /// Input accepted but not yet written to a child that does not read; `write` refuses beyond it.
        public var maxPendingInput: Int
        /// Whether this process is a child subreaper (the runner): then the reaper thread also reaps every orphan
        /// reparented to it, before the child's exit and after it, until no child is left. Never set it in a process
        /// that has other children: they would be reaped too.
        public var reapsOrphans: Bool

        public init(
            command: String,
            arguments: [String] = [],
            environment: [String: String] = ProcessInfo.processInfo.environment,
            workingDirectory: String? = nil,
            size: TerminalSize = .default,
            exitDrainTimeout: Duration = .milliseconds(500),
            maxPendingInput: Int = 1 << 20,
            reapsOrphans: Bool = false
        ) {
            self.command = command
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.size = size
            self.exitDrainTimeout = exitDrainTimeout
            self.maxPendingInput = maxPendingInput
            self.reapsOrphans = reapsOrphans
        }
    }

    /// SPEC §6.1: SIGTERM, SIGHUP after 2 s, then SIGKILL after this long.
    public static let defaultStopGrace: Duration = .seconds(5)

    /// When `stop` sends SIGHUP, as a share of its grace: 2 s of the default 5 s (interactive shells ignore SIGTERM
    /// but end on a hang-up).
    public static func hangUpDelay(grace: Duration) -> Duration {
        grace * 2 / 5
    }

    /// The child's process id (also its process group and session id).
    public let pid: pid_t
    /// The executable that was run (after `PATH` lookup).
    public let executablePath: String

    private let master: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let configuration: Configuration
    private let onEvent: @Sendable (PTYEvent) -> Void
    private let state: NIOLockedValueBox<State>

    private struct State {
        var size: TerminalSize
        var pendingInput: [UInt8] = []
        /// Set once the child has exited (before it is reaped): no more signals go to its pid.
        var childExited = false
        var exitStatus: PTYExitStatus?
        var ioFinished = false
        /// Output drained and the child reaped: `exited` was (or is being) reported and the descriptors are closed.
        var finalized = false
        var exitWaiters: [CheckedContinuation<PTYExitStatus, Never>] = []
    }

    private init(
        pid: pid_t,
        executablePath: String,
        master: Int32,
        wake: (read: Int32, write: Int32),
        configuration: Configuration,
        onEvent: @escaping @Sendable (PTYEvent) -> Void
    ) {
        self.pid = pid
        self.executablePath = executablePath
        self.master = master
        self.wakeRead = wake.read
        self.wakeWrite = wake.write
        self.configuration = configuration
        self.onEvent = onEvent
        self.state = NIOLockedValueBox(State(size: configuration.size))
    }

    /// Starts `configuration.command` in a new pty. Throws `TerminalError` when the command is missing, the
    /// working directory cannot be entered, or exec fails — after the failed child has been reaped.
    public static func spawn(_ configuration: Configuration, onEvent: @escaping @Sendable (PTYEvent) -> Void) throws -> PTYProcess {
        guard configuration.size.isValid else { throw TerminalError.invalidSize(configuration.size) }
        var environment = configuration.environment
        environment["TERM"] = "xterm-256color"
        let executable = try ResolvedExecutable.check(configuration.command)
        let wake = try Self.makeWakePipe()

        let argv = ([configuration.command] + configuration.arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let cwd = configuration.workingDirectory.map { strdup($0) } ?? nil
        defer {
            for pointer in argv + envp { free(pointer) }
            free(cwd)
        }
        var master: Int32 = -1
        var pid: pid_t = 0
        let result = cpty_spawn(
            executable,
            argv,
            envp,
            cwd,
            UInt16(configuration.size.cols),
            UInt16(configuration.size.rows),
            &master,
            &pid
        )
        guard result.stage == Int32(CPTY_STAGE_NONE.rawValue) else {
            close(wake.read)
            close(wake.write)
            throw TerminalError.spawnFailed(
                command: configuration.command,
                stage: Self.stageName(result.stage, workingDirectory: configuration.workingDirectory),
                errno: result.error
            )
        }
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        let process = PTYProcess(
            pid: pid,
            executablePath: executable,
            master: master,
            wake: wake,
            configuration: configuration,
            onEvent: onEvent
        )
        process.startThreads()
        return process
    }

    /// The current terminal size.
    public var size: TerminalSize {
        self.state.withLockedValue { $0.size }
    }

    /// The exit status once `exited` has been reported; nil while running.
    public var exitStatus: PTYExitStatus? {
        self.state.withLockedValue { $0.finalized ? $0.exitStatus : nil }
    }

    /// Queues `bytes` for the child's input (written in order). Returns false when the terminal is closed or more
    /// than `maxPendingInput` bytes are already waiting for a child that does not read.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>) -> Bool {
        self.state.withLockedValue { state in
            guard !state.ioFinished, state.pendingInput.count + bytes.count <= self.configuration.maxPendingInput else { return false }
            state.pendingInput.append(contentsOf: bytes)
            self.wakeLocked(state)
            return true
        }
    }

    /// Sets the terminal size; the child's foreground process group gets SIGWINCH.
    public func resize(_ size: TerminalSize) throws {
        guard size.isValid else { throw TerminalError.invalidSize(size) }
        try self.state.withLockedValue { state in
            guard !state.finalized else { return }
            try self.setWindowSize(size)
            state.size = size
        }
    }

    /// The redraw nudge (SPEC §12): shrinks the terminal by one row and restores it after `pause`, so a full-screen
    /// program gets two SIGWINCHs and a real size change and repaints. A resize in between wins.
    public func redraw(pause: Duration = .milliseconds(150)) async throws {
        let size = self.size
        guard size.rows >= 2 else { return }
        try self.state.withLockedValue { state in
            guard !state.finalized else { return }
            try self.setWindowSize(TerminalSize(cols: size.cols, rows: size.rows - 1))
        }
        try? await Task.sleep(for: pause)
        try self.state.withLockedValue { state in
            guard !state.finalized else { return }
            try self.setWindowSize(state.size)
        }
    }

    /// Stops the child (SPEC §6.1): SIGTERM to its process group, SIGHUP to the group after 2/5 of `grace` (2 s of
    /// 5 s: shells ignore SIGTERM), SIGKILL to the group after `grace`. Returns the exit status once reported; returns
    /// at once when the child has already ended.
    @discardableResult
    public func stop(grace: Duration = PTYProcess.defaultStopGrace) async -> PTYExitStatus {
        self.signalGroup(SIGTERM)
        let hangUp = Self.hangUpDelay(grace: grace)
        let escalation = Task {
            try? await Task.sleep(for: hangUp)
            if Task.isCancelled { return }
            self.signalGroup(SIGHUP)
            try? await Task.sleep(for: grace - hangUp)
            if !Task.isCancelled { self.signalGroup(SIGKILL) }
        }
        let status = await self.waitForExit()
        escalation.cancel()
        return status
    }

    /// Sends `signal` to the child's process group (to the child alone if the group is gone). Does nothing once
    /// the child has exited, so a recycled pid is never signalled.
    public func signalGroup(_ signal: Int32) {
        self.state.withLockedValue { state in
            guard !state.childExited else { return }
            if kill(-self.pid, signal) != 0 { _ = kill(self.pid, signal) }
        }
    }

    /// Waits until `exited` has been reported and returns the status.
    @discardableResult
    public func waitForExit() async -> PTYExitStatus {
        await withCheckedContinuation { continuation in
            let done: PTYExitStatus? = self.state.withLockedValue { state in
                if state.finalized, let status = state.exitStatus { return status }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// The size the kernel holds for the terminal right now (nil once closed).
    var kernelSize: TerminalSize? {
        self.state.withLockedValue { state in
            guard !state.finalized else { return nil }
            var cols: UInt16 = 0
            var rows: UInt16 = 0
            guard cpty_get_winsize(self.master, &cols, &rows) == 0 else { return nil }
            return TerminalSize(cols: Int(cols), rows: Int(rows))
        }
    }

    /// The descriptors this object owns (the pty master and the wake-up pipe), for leak tests.
    var ownedDescriptors: [Int32] { [self.master, self.wakeRead, self.wakeWrite] }

    // MARK: - Threads

    private func startThreads() {
        let io = Thread { self.runIOLoop() }
        io.name = "pty-io-\(self.pid)"
        io.start()
        let reaper = Thread { self.reap() }
        reaper.name = "pty-reaper-\(self.pid)"
        reaper.start()
    }

    /// The I/O thread: output as it is produced, queued input as the child accepts it.
    private func runIOLoop() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var drainDeadline: ContinuousClock.Instant?
        loop: while true {
            let (hasInput, exited) = self.state.withLockedValue { (!$0.pendingInput.isEmpty, $0.exitStatus != nil) }
            if exited, drainDeadline == nil { drainDeadline = .now.advanced(by: self.configuration.exitDrainTimeout) }
            var timeout: Int32 = -1
            if let drainDeadline {
                let remaining = ContinuousClock.now.duration(to: drainDeadline)
                if remaining <= .zero { break loop }
                timeout = Int32(clamping: max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            }
            var descriptors = [
                pollfd(fd: self.master, events: Int16(POLLIN) | (hasInput ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: self.wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                break loop
            }
            if descriptors[1].revents != 0 { self.drainWakePipe() }
            let events = descriptors[0].revents
            if events & Int16(POLLNVAL) != 0 { break loop }
            if events & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
                let count = read(self.master, &buffer, buffer.count)
                if count > 0 {
                    self.onEvent(.output(Array(buffer[0..<count])))
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    break loop  // EOF: Linux reports EIO once every slave descriptor is closed
                }
            }
            if events & Int16(POLLOUT) != 0 { self.writePendingInput() }
        }
        self.finish { $0.ioFinished = true }
    }

    private func writePendingInput() {
        let chunk = self.state.withLockedValue { Array($0.pendingInput.prefix(64 << 10)) }
        guard !chunk.isEmpty else { return }
        let written = chunk.withUnsafeBytes { systemWrite(self.master, $0.baseAddress, $0.count) }
        if written > 0 {
            self.state.withLockedValue { $0.pendingInput.removeFirst(written) }
        } else if written < 0, errno != EAGAIN, errno != EINTR {
            self.state.withLockedValue { $0.pendingInput.removeAll() }
        }
    }

    /// The reaper thread: waits for the child to exit, stops signalling it, then reaps it.
    private func reap() {
        if self.configuration.reapsOrphans {
            self.reapOrphansUntilTheChildExits()
        } else {
            var info = siginfo_t()
            while waitid(P_PID, id_t(self.pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        }
        self.state.withLockedValue { $0.childExited = true }
        var status: Int32 = 0
        var reaped = waitpid(self.pid, &status, 0)
        while reaped < 0, errno == EINTR { reaped = waitpid(self.pid, &status, 0) }
        let exit = reaped == self.pid ? PTYExitStatus(waitStatus: status) : PTYExitStatus()
        self.finish { state in
            state.exitStatus = exit
            self.wakeLocked(state)
        }
        if self.configuration.reapsOrphans { Self.reapRemainingChildren() }
    }

    /// A subreaper's orphans are its children: reaps each as it ends, until the child itself has exited (left
    /// unreaped for `reap`).
    private func reapOrphansUntilTheChildExits() {
        while true {
            let exited = cpty_wait_exited_child()
            if exited == self.pid || exited < 0 { return }
            var status: Int32 = 0
            while waitpid(exited, &status, 0) < 0, errno == EINTR {}
        }
    }

    /// After the child: reaps the orphans still running (the runner is ending them) until no child is left. No new
    /// orphan can appear then: every descendant of a subreaper descends from one of its children.
    private static func reapRemainingChildren() {
        var status: Int32 = 0
        while waitpid(-1, &status, 0) > 0 || errno == EINTR {}
    }

    /// Applies `change`; the second of the two threads to finish closes the descriptors and reports `exited`.
    private func finish(_ change: (inout State) -> Void) {
        let outcome: (PTYExitStatus, [CheckedContinuation<PTYExitStatus, Never>])? = self.state.withLockedValue { state in
            change(&state)
            guard state.ioFinished, let status = state.exitStatus, !state.finalized else { return nil }
            state.finalized = true
            close(self.master)
            close(self.wakeRead)
            close(self.wakeWrite)
            let waiters = state.exitWaiters
            state.exitWaiters = []
            state.pendingInput = []
            return (status, waiters)
        }
        guard let (status, waiters) = outcome else { return }
        self.onEvent(.exited(status))
        for waiter in waiters { waiter.resume(returning: status) }
    }

    // MARK: - Descriptors

    /// Wakes the I/O thread; the caller holds the state lock (so the pipe is still open).
    private func wakeLocked(_ state: State) {
        guard !state.finalized else { return }
        var byte: UInt8 = 1
        _ = systemWrite(self.wakeWrite, &byte, 1)
    }

    private func drainWakePipe() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(self.wakeRead, &scratch, scratch.count) > 0 {}
    }

    private func setWindowSize(_ size: TerminalSize) throws {
        let result = cpty_set_winsize(self.master, UInt16(size.cols), UInt16(size.rows))
        guard result == 0 else { throw TerminalError.spawnFailed(command: self.configuration.command, stage: "resize", errno: result) }
    }

    private static func makeWakePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw TerminalError.spawnFailed(command: "pty", stage: "creating a pipe", errno: errno)
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        return (descriptors[0], descriptors[1])
    }

    private static func stageName(_ stage: Int32, workingDirectory: String?) -> String {
        switch UInt32(stage) {
        case CPTY_STAGE_OPENPTY.rawValue: return "opening a pseudo-terminal"
        case CPTY_STAGE_PIPE.rawValue: return "creating a pipe"
        case CPTY_STAGE_FORK.rawValue: return "fork"
        case CPTY_STAGE_SETSID.rawValue: return "starting a new session"
        case CPTY_STAGE_CONTROLLING_TTY.rawValue: return "acquiring the controlling terminal"
        case CPTY_STAGE_CHDIR.rawValue: return "changing to the working directory \(workingDirectory ?? "")"
        case CPTY_STAGE_EXEC.rawValue: return "exec"
        case CPTY_STAGE_STDIO.rawValue: return "setting up standard input and output"
        default: return "step \(stage)"
        }
    }
}

/// `write(2)`, named apart from `PTYProcess.write`.
@inline(__always)
func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, buffer, count)
    #else
    return Darwin.write(descriptor, buffer, count)
    #endif
}
