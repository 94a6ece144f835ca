import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process facts from `/proc` (Linux only — the one file of the server that reads it). On other systems the
/// ancestry is unknown, so the owner-socket boundary cannot tell agent processes apart (documented in
/// docs/architecture.md); liveness falls back to `kill(pid, 0)`.
enum ProcessTree {
    /// The longest ancestry walked (a deeper tree is cut there).
    static let maxDepth = 64

    /// `pid` followed by its parent, grandparent, … up to (not including) pid 1; empty when unknown.
    static func ancestry(of pid: Int32) -> [Int32] {
        #if os(Linux)
        var chain: [Int32] = []
        var current = pid
        while current > 1, chain.count < self.maxDepth, let parent = self.parent(of: current) {
            chain.append(current)
            current = parent
        }
        return chain
        #else
        return []
        #endif
    }

    /// The parent pid from `/proc/<pid>/stat` (the field after the state, which follows the last `)`).
    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1 else { return nil }
        return Int32(fields[1])
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
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].dropFirst().first
            return state != "Z" && state != "X"
        }
        #endif
        return true
    }
}
