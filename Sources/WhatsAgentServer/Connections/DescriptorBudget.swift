import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many TCP connections the daemon can afford: the descriptor limit, less what is already open, less a reserve, so
/// the owner socket, runners, SQLite and the logs always get a descriptor however many web connections are open.
struct DescriptorBudget: Equatable, Sendable {
    /// Descriptors kept back from the web listener for everything else the daemon opens after start: owner-socket
    /// connections (the CLI, agents' `whatsagent mcp`), runner sockets and PTYs, workspace databases, log rotation.
    static let reserve = 128

    var softLimit: Int
    var hardLimit: Int
    /// Descriptors open when the budget was taken.
    var inUse: Int

    /// The web listener's cap: `maxConnections`, or less when the descriptor limit cannot afford it (at least 1).
    func connectionCap(maxConnections: Int, reserve: Int = Self.reserve) -> Int {
        max(1, min(maxConnections, self.softLimit - self.inUse - reserve))
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (what daemons commonly do; processes the daemon starts inherit
    /// it) and counts the descriptors open now. Nil when the limit cannot be read.
    static func takeForProcess() -> DescriptorBudget? {
        var limit = rlimit()
        guard Self.getLimit(&limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            // An unlimited hard limit is not a valid soft one for descriptors; 1 Mi is the usual kernel ceiling.
            raised.rlim_cur = limit.rlim_max == rlim_t.max ? rlim_t(1 << 20) : limit.rlim_max
            if Self.setLimit(&raised) == 0 { limit = raised }
        }
        return DescriptorBudget(
            softLimit: Self.clamp(limit.rlim_cur),
            hardLimit: Self.clamp(limit.rlim_max),
            inUse: Self.openDescriptors()
        )
    }

    /// Descriptors open in this process (the entries of `/dev/fd`, less the one listing them).
    static func openDescriptors() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/fd").count) ?? 0
        return max(entries - 1, 0)
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }

    #if os(Linux)
    private static func getLimit(_ limit: inout rlimit) -> Int32 { getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) }
    private static func setLimit(_ limit: inout rlimit) -> Int32 { setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) }
    #else
    private static func getLimit(_ limit: inout rlimit) -> Int32 { getrlimit(RLIMIT_NOFILE, &limit) }
    private static func setLimit(_ limit: inout rlimit) -> Int32 { setrlimit(RLIMIT_NOFILE, &limit) }
    #endif
}
