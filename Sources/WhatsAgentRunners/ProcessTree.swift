import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process facts from `/proc` (Linux only — the one file of the server that reads it). On other systems the
/// ancestry is unknown, so the owner-socket boundary cannot tell agent processes apart (documented in
/// docs/architecture.md); liveness falls back to `kill(pid, 0)`.
package enum ProcessTree {
    /// The longest ancestry walked; a deeper chain is not known to reach pid 1, so it is not the human.
    static let maxDepth = 64

    /// One process's line of `/proc/<pid>/stat`, the fields the boundary needs.
    struct Stat: Sendable, Equatable {
        var parent: Int32
        /// The state letter (`R`, `S`, …; `Z` and `X` have exited).
        var state: Character
        /// When the process started, in clock ticks after boot: a parent always started no later than its child.
        var startTicks: UInt64

        var hasExited: Bool { self.state == "Z" || self.state == "X" }
    }

    /// How far the walk from a process up its parents got.
    package enum Ancestry: Sendable, Equatable {
        /// The walk reached pid 1: the process and its ancestors, nearest first, without pid 1.
        case complete([Int32])
        /// The walk did not reach pid 1; the reason, for the refusal.
        case incomplete(String)
    }

    /// Walks from `pid` (whose stat is `stat`) up its parents to pid 1. Fails closed: a parent that cannot be read,
    /// a parent that started after its child (its pid was recycled during the walk), a parent outside this PID
    /// namespace (parent pid 0) or a chain deeper than `maxDepth` leaves the ancestry incomplete.
    static func ancestry(of pid: Int32, stat: Stat, read: (Int32) -> Stat? = Self.stat(of:)) -> Ancestry {
        guard !stat.hasExited else { return .incomplete("the process that connected (pid \(pid)) has exited") }
        var chain: [Int32] = []
        var current = pid
        var currentStat = stat
        while current != 1 {
            guard chain.count < self.maxDepth else {
                return .incomplete("its chain of parent processes is deeper than \(self.maxDepth)")
            }
            chain.append(current)
            let parent = currentStat.parent
            guard parent > 0 else { return .incomplete("process \(current) has no parent in this PID namespace") }
            guard let parentStat = read(parent) else { return .incomplete("the parent \(parent) of process \(current) cannot be read") }
            guard parentStat.startTicks <= currentStat.startTicks else {
                return .incomplete("the parent \(parent) of process \(current) started after it (the pid was reused)")
            }
            current = parent
            currentStat = parentStat
        }
        return .complete(chain)
    }

    /// The parent, state and start time from `/proc/<pid>/stat` (fields 4, 3 and 22, counted after the last `)`:
    /// the command name in field 2 may hold spaces and parentheses); nil when unreadable or on other systems.
    static func stat(of pid: Int32) -> Stat? {
        #if os(Linux)
        guard pid > 0, let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return self.parseStat(line)
        #else
        return nil
        #endif
    }

    /// Parses one `/proc/<pid>/stat` line.
    static func parseStat(_ line: String) -> Stat? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state), so field n is fields[n - 3].
        guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]), let start = UInt64(fields[19]) else {
            return nil
        }
        return Stat(parent: parent, state: state, startTicks: start)
    }

    /// Now, in the clock ticks of `/proc/<pid>/stat`'s start time (both count from boot: `/proc/uptime`); nil when
    /// unreadable or on other systems.
    static func bootTicksNow() -> UInt64? {
        #if os(Linux)
        guard let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let seconds = uptime.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        let ticksPerSecond = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        return UInt64(seconds * ticksPerSecond)
        #else
        return nil
        #endif
    }

    /// The session id when `pid` is a `whatsagent runner … --session-id ID` process (from `/proc/<pid>/cmdline`).
    static func runnerSessionID(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard arguments.count > 3, arguments[1] == "runner", let flag = arguments.firstIndex(of: "--session-id"),
            flag + 1 < arguments.count
        else { return nil }
        return arguments[flag + 1]
    }

    /// Whether `pid` runs (a zombie counts as gone: PID 1 may never reap it).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        if let stat = self.stat(of: pid) { return !stat.hasExited }
        #endif
        return true
    }
}
