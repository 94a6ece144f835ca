import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Child processes started with `posix_spawn`.
///
/// Foundation's `Process.waitUntilExit()` spins a run loop at full CPU on this platform, which would load the very
/// machine being measured; here a thread blocks in `waitpid` instead. Pipes are close-on-exec in the bench, so one
/// child never holds another child's pipe open.
enum Spawn {
    enum Stream {
        case null
        case pipe
        /// Created (or truncated), mode 0600.
        case file(String)
    }

    struct Child: Sendable {
        var pid: pid_t
        /// The bench's ends of the `.pipe` streams.
        var stdin: Int32?
        var stdout: Int32?
        var stderr: Int32?
    }

    /// Starts `executable` with default signal dispositions (the bench ignores SIGPIPE, its children must not).
    static func start(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        stdin: Stream = .null,
        stdout: Stream = .null,
        stderr: Stream = .null
    ) throws -> Child {
        // Pipes are made close-on-exec after `pipe(2)` (`pipe2` is not visible from Swift on glibc); spawning under one
        // lock keeps a concurrent spawn from inheriting a pipe in between.
        try self.lock.withLock {
            try self.startLocked(executable, arguments, environment: environment, streams: [stdin, stdout, stderr])
        }
    }

    private static let lock = NSLock()

    private static func startLocked(_ executable: String, _ arguments: [String], environment: [String: String], streams: [Stream]) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        var parentEnds: [Int32?] = []
        defer {
            for descriptor in childEnds { close(descriptor) }
        }
        for (target, stream) in zip(Int32(0)..., streams) {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
                parentEnds.append(nil)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                parentEnds.append(nil)
            case .pipe:
                var descriptors: [Int32] = [0, 0]
                guard pipe(&descriptors) == 0 else {
                    for end in parentEnds.compactMap({ $0 }) { close(end) }
                    throw BenchError.unexpected("pipe: \(String(cString: strerror(errno)))")
                }
                for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
                let (child, parent) = target == 0 ? (descriptors[0], descriptors[1]) : (descriptors[1], descriptors[0])
                posix_spawn_file_actions_adddup2(&actions, child, target)  // dup2 clears close-on-exec on the copy
                childEnds.append(child)
                parentEnds.append(parent)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            for end in parentEnds.compactMap({ $0 }) { close(end) }
            throw BenchError.unexpected("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return Child(pid: pid, stdin: parentEnds[0], stdout: parentEnds[1], stderr: parentEnds[2])
    }

    /// Waits (on a thread of its own) for `pid` to exit; returns its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitBlocking(pid)) }
        }
    }

    static func waitBlocking(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Reads `descriptor` to its end (blocking) and closes it.
    static func readAll(_ descriptor: Int32) -> Data {
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1_024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    static func closeDescriptor(_ descriptor: Int32) {
        close(descriptor)
    }

    /// Writes all of `data`, blocking while the pipe is full (the reader is busy: that is back-pressure).
    static func writeAll(_ descriptor: Int32, _ data: Data, to what: String) throws {
        try data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw BenchError.unexpected("writing to \(what): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}
