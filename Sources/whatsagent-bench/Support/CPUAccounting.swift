import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much CPU the machine spent on work other than the benchmark while it ran: other people's builds and tests on a
/// shared 2-core machine skew every row, so the table says how busy it was.
///
/// Foreign CPU = busy time of all cores (`/proc/stat`) − the bench's own CPU and that of its reaped children (CLI
/// commands, `whatsagent mcp`) − the CPU of each daemon it started, read just before the daemon is stopped.
enum CPUAccounting {
    struct Mark {
        var busy: Double
        var own: Double
        var daemons: Double
        var at: ContinuousClock.Instant
    }

    private static let daemons = Locked(0.0)

    /// Adds the CPU time of a daemon about to be stopped.
    static func noteDaemonStopping(pid: Int32) {
        let seconds = CPUTime.seconds(pid: pid)
        self.daemons.withLock { $0 += seconds }
    }

    static func mark() -> Mark {
        Mark(busy: self.busySeconds(), own: self.ownSeconds(), daemons: self.daemons.withLock { $0 }, at: ContinuousClock.now)
    }

    /// Foreign CPU since `start`, as a share of every core over the elapsed time (0.25 = a quarter of the machine).
    /// `running` is the CPU seconds the bench's own processes that still run (a daemon, the `whatsagent mcp`
    /// processes) used in that time: they are neither reaped nor stopped yet, so the rest of the accounting cannot
    /// tell them from foreign work.
    static func foreignShare(since start: Mark, running: Double = 0) -> Double {
        let end = self.mark()
        let foreign = (end.busy - start.busy) - (end.own - start.own) - (end.daemons - start.daemons) - running
        let capacity = (end.at - start.at).milliseconds / 1_000 * Double(ProcessInfo.processInfo.activeProcessorCount)
        return capacity > 0 ? max(0, foreign) / capacity : 0
    }

    private static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    /// user + nice + system + irq + softirq + steal of the `cpu` line of `/proc/stat`.
    private static func busySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 8 else { return 0 }
        return (values[0] + values[1] + values[2] + values[5] + values[6] + values[7]) / self.ticksPerSecond
    }

    /// utime + stime + cutime + cstime of this process.
    private static func ownSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ").compactMap { Double($0) }
        // After "pid (comm)" and the state letter (which does not parse): utime is the 11th number.
        guard fields.count > 13 else { return 0 }
        return (fields[10] + fields[11] + fields[12] + fields[13]) / self.ticksPerSecond
    }
}
