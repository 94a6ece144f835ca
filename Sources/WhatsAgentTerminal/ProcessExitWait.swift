import CPty

/// Waits for a process that is not our child (a detached daemon or runner) to terminate.
public enum ProcessExitWait {
    /// Blocks the calling thread until `pid` has terminated (a zombie counts: it holds no descriptors any more) or
    /// `timeoutMilliseconds` passed. True when it has terminated. On Linux this is a pidfd, not a polling loop.
    public static func blockingWait(pid: Int32, timeoutMilliseconds: Int32) -> Bool {
        cpty_await_exit(pid, timeoutMilliseconds) == 1
    }
}
