import Foundation
import Testing
import WhatsAgentTerminal

/// `ProcessExitWait` sees a process that is not awaited by `waitpid` end: `whatsagent stop` waits on the detached
/// daemon with it (a zombie counts as ended: a container's init may never reap it).
@Suite struct ProcessExitWaitTests {
    @Test func aRunningProcessTimesOut() throws {
        let pid = try Self.spawn("/bin/sleep", "60")
        defer {
            kill(pid, SIGKILL)
            Self.reap(pid)
        }

        #expect(ProcessExitWait.blockingWait(pid: pid, timeoutMilliseconds: 100) == false)
    }

    @Test func anUnreapedChildCountsAsEnded() throws {
        let pid = try Self.spawn("/bin/sh", "-c", "exit 3")
        defer { Self.reap(pid) }

        #expect(ProcessExitWait.blockingWait(pid: pid, timeoutMilliseconds: 30_000))
    }

    @Test func aProcessThatEndsWhileWaitedForIsSeen() throws {
        let pid = try Self.spawn("/bin/sleep", "60")
        defer { Self.reap(pid) }
        let killer = Thread { kill(pid, SIGKILL) }  // SIGKILL: the test process may pass a blocked SIGTERM on
        killer.start()

        #expect(ProcessExitWait.blockingWait(pid: pid, timeoutMilliseconds: 30_000))
    }

    @Test func aProcessThatIsGoneHasEnded() throws {
        let pid = try Self.spawn("/bin/sh", "-c", "exit 0")
        Self.reap(pid)

        #expect(ProcessExitWait.blockingWait(pid: pid, timeoutMilliseconds: 30_000))
    }

    private static func spawn(_ arguments: String...) throws -> pid_t {
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let status = posix_spawn(&pid, arguments[0], nil, nil, argv, environ)
        try #require(status == 0)
        return pid
    }

    private static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
