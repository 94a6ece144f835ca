import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the bench must undo however it ends: daemons it started (with their temporary homes) and the
/// `whatsagent mcp` processes it spawned. The normal path releases each one itself; an interrupt (SIGINT, SIGTERM)
/// or a failure releases whatever is left.
final class Cleanup: Sendable {
    static let shared = Cleanup()

    private struct Daemon {
        var binary: String
        var pid: Int32?
    }

    private let daemons = Locked<[String: Daemon]>([:])
    private let processes = Locked<Set<Int32>>([])
    private let signalSources = Locked<[any DispatchSourceSignal]>([])
    /// Held for a whole release, so an interrupt and the main path never race to exit half-way through one.
    private let releasing = NSRecursiveLock()
    private let interruptedFlag = Locked(false)

    /// Whether SIGINT or SIGTERM arrived (the main path then leaves the exit to the handler).
    var interrupted: Bool { self.interruptedFlag.withLock { $0 } }

    /// A home the bench created; `binary` stops its daemon.
    func register(home: String, binary: String) {
        self.daemons.withLock { $0[home] = Daemon(binary: binary) }
    }

    /// The pid of the daemon of `home`, killed if `stop` cannot end it.
    func noteDaemon(home: String, pid: Int32) {
        self.daemons.withLock { $0[home]?.pid = pid }
    }

    /// A child the bench spawned (a `whatsagent mcp`), killed if the bench ends before it was reaped.
    func track(pid: Int32) {
        _ = self.processes.withLock { $0.insert(pid) }
    }

    func untrack(pid: Int32) {
        _ = self.processes.withLock { $0.remove(pid) }
    }

    /// Stops the daemon of `home` (by its CLI, else by signal) and removes the home. Returns whether `stop` worked.
    @discardableResult
    func release(home: String) -> Bool {
        self.releasing.lock()
        defer { self.releasing.unlock() }
        guard let daemon = self.daemons.withLock({ $0.removeValue(forKey: home) }) else { return true }
        var stopped = true
        if let pid = daemon.pid { CPUAccounting.noteDaemonStopping(pid: pid) }
        if daemon.pid != nil || FileManager.default.fileExists(atPath: home + "/daemon.sock") {
            // `--all`: the runners of managed agents (the terminal rows) must not outlive the bench.
            stopped = Subprocess.runBlocking(daemon.binary, ["stop", "--all", "--home", home]) == 0
            if !stopped, let pid = daemon.pid { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: home)
        return stopped
    }

    /// Ends every tracked process and releases every home.
    func releaseAll() {
        self.releasing.lock()
        defer { self.releasing.unlock() }
        for pid in self.processes.withLock({ $0 }) {
            kill(pid, SIGKILL)
        }
        for home in self.daemons.withLock({ Array($0.keys) }) {
            self.release(home: home)
        }
    }

    /// On SIGINT or SIGTERM: release everything and exit 130.
    func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)  // a dead `whatsagent mcp` must be an error on write, not the end of the bench
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                self.interruptedFlag.withLock { $0 = true }
                FileHandle.standardError.write(Data("\ninterrupted: stopping daemons and removing temporary homes\n".utf8))
                self.releaseAll()
                exit(130)
            }
            source.resume()
            self.signalSources.withLock { $0.append(source) }
        }
    }
}
