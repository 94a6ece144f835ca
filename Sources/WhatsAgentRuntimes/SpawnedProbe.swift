import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A short-lived child started with `posix_spawn` in its own process group, its stdin on `/dev/null` and its
/// stdout and stderr on one file, reaped with `waitpid` on a background thread.
///
/// Foundation's `Process` on Linux learns of an exit through a descriptor the child inherits, so a probe that leaves
/// a background child behind would look alive until that child exits; `waitpid` does not have that problem.
struct SpawnedProbe {
    enum Exit: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    private let exit: ExitSignal
    private let status: LockedStatus

    /// Starts `path` with `arguments`, writing its output to the open descriptor `output` (its stderr to
    /// `errorOutput` when given).
    init(path: String, arguments: [String], output: Int32, errorOutput: Int32? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errorOutput ?? output, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, flags)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        self.pid = pid
        self.exit = ExitSignal()
        self.status = LockedStatus()

        let (exit, status, child) = (self.exit, self.status, pid)
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            status.set(Self.decode(raw))
            exit.fire()
        }
    }

    /// Waits for the exit; nil when `timeout` passed first.
    func wait(timeout: Duration) async -> Exit? {
        guard await self.exit.wait(timeout: timeout) else { return nil }
        return self.status.get()
    }

    func wait() async -> Exit? {
        await self.exit.wait()
        return self.status.get()
    }

    /// SIGKILL to the probe's whole process group (it leads one), so children it left behind go too.
    func killGroup() {
        _ = kill(-self.pid, SIGKILL)
    }

    private static func decode(_ raw: Int32) -> Exit {
        let signal = raw & 0x7F
        return signal == 0 ? .exited((raw >> 8) & 0xFF) : .signalled(signal)
    }
}

/// The exit status, written by the reaping thread and read after the exit signal fired.
private final class LockedStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SpawnedProbe.Exit?

    func set(_ value: SpawnedProbe.Exit) { self.lock.withLock { self.value = value } }
    func get() -> SpawnedProbe.Exit? { self.lock.withLock { self.value } }
}
