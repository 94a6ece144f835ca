import CPty

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runner's process tree (Linux). The runner is a child subreaper, so a descendant orphaned by a double fork or
/// `setsid -f` is reparented to the runner rather than to init and stays in its tree, where the owner-socket boundary
/// sees it as the agent. When the session ends, the runner ends every descendant still running, so none outlives the
/// session as "the human" (docs/security.md).
enum RunnerSubtree {
    /// Makes this process a child subreaper. Returns 0 or an errno (ENOSYS on other systems).
    static func adoptOrphans() -> Int32 {
        cpty_become_subreaper()
    }

    /// SIGTERM to every live descendant; SIGKILL to those left after `grace`, again until none is left (a
    /// descendant may fork while it is being ended). Returns how many got the SIGTERM.
    @discardableResult
    static func endDescendants(grace: Duration) -> Int32 {
        let root = getpid()
        let graceMilliseconds = Int32(clamping: grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000)
        let terminated = cpty_signal_descendants(root, SIGTERM, max(graceMilliseconds, 1))
        guard terminated > 0 else { return max(terminated, 0) }
        for _ in 0..<100 {
            guard cpty_signal_descendants(root, SIGKILL, 1000) > 0 else { break }
        }
        return terminated
    }
}
