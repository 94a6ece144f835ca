import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The body of `whatsagent codex-attach PLAN` (internal; the PTY command of a managed Codex): starts Codex's
/// app-server as a child in its own process group (stdin `/dev/null`, output to the plan's log), waits until its
/// socket accepts connections, records the path taken, and runs `codex --remote unix://…` on the terminal — so the
/// human's terminal shows the same Codex the daemon starts turns in, and both stay in the runner's process tree.
/// When the app-server cannot be used (too long a socket path, a TUI without `--remote`, it cannot start, it exits or
/// does not listen in time) it records `typed` with the reason, says so on the terminal, and runs plain `codex`
/// instead. The TUI runs as its child (``superviseTUI(_:appServer:stopping:spawned:)``): when the app-server stops
/// in the middle of the session and the TUI ends with it, it records `typed` again and resumes the conversation in
/// plain `codex`.
public enum CodexAttach {
    /// Never returns unless `exec` failed; the result is then the exit code.
    public static func run(planPath: String) -> Int32 {
        let started = Date()
        let plan: CodexAttachPlan
        do {
            plan = try CodexAttachPlan.read(from: planPath)
        } catch {
            Self.say("whatsagent: cannot read the Codex launch plan \(planPath): \(error)")
            return 127
        }
        switch self.openAppServer(plan) {
        case .success(let pid):
            Self.record(CodexAttachStatus(path: .appServer, appServerPID: pid), plan)
            let signals = AttachSignals.install()
            switch self.superviseTUI(plan, appServer: pid, stopping: { signals.stopping }, spawned: { signals.forward(to: $0) }) {
            case .exited(let code): return code
            case .appServerLost(let reason):
                // The TUI ended with its app-server: the human's terminal goes on with plain codex, resuming the
                // conversation, and mail is typed from now on.
                Self.record(CodexAttachStatus(path: .typed, reason: reason, duringSession: true), plan)
                signals.restore()
                let resumed = self.resumableSession(
                    codexHome: Self.codexHome(),
                    directory: FileManager.default.currentDirectoryPath,
                    since: started
                )
                Self.say(
                    "whatsagent: Codex's app-server stopped (\(reason)); Codex goes on without it"
                        + (resumed.map { ", resuming session \($0)" } ?? "") + "; mail hints are typed into this terminal"
                )
                return self.exec(plan.codex, plan.fallbackArguments + (resumed.map { ["resume", $0] } ?? []))
            }
        case .failure(let failure):
            Self.record(CodexAttachStatus(path: .typed, reason: failure.reason), plan)
            Self.say("whatsagent: Codex runs without its app-server (\(failure.reason)); mail hints are typed into this terminal")
            return self.exec(plan.codex, plan.fallbackArguments)
        }
    }

    struct Unavailable: Error {
        var reason: String
    }

    /// Starts the app-server and waits for its socket; the child's pid once it accepts a connection.
    static func startAppServer(_ plan: CodexAttachPlan) -> Result<pid_t, Unavailable> {
        guard plan.socket.utf8.count <= CodexAttachPlan.maxSocketPathBytes else {
            return .failure(Unavailable(reason: "its socket path \(plan.socket) is longer than a Unix socket path may be"))
        }
        unlink(plan.socket)
        let log = open(plan.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { return .failure(Unavailable(reason: "cannot open \(plan.log): \(String(cString: strerror(errno)))")) }
        defer { close(log) }
        let pid: pid_t
        do {
            pid = try self.spawn(plan.codex, plan.appServerArguments, output: log)
        } catch {
            return .failure(Unavailable(reason: "cannot start `codex app-server`: \(error)"))
        }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(plan.startTimeoutMilliseconds))
        while ContinuousClock.now < deadline {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                return .failure(Unavailable(reason: "`codex app-server` exited (status \(raw)) before listening; see \(plan.log)"))
            }
            if self.accepts(plan.socket) {
                chmod(plan.socket, 0o600)
                return .success(pid)
            }
            usleep(20_000)  // a poll of the socket with a deadline
        }
        kill(-pid, SIGKILL)
        var raw: Int32 = 0
        waitpid(pid, &raw, 0)
        return .failure(
            Unavailable(reason: "`codex app-server` did not listen on \(plan.socket) within \(plan.startTimeoutMilliseconds) ms; see \(plan.log)")
        )
    }

    /// Whether a Unix socket at `path` accepts a connection.
    static func accepts(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            buffer[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }

    /// `path` with `arguments` in a new process group, stdin on `/dev/null`, stdout and stderr on `output`, the
    /// signal mask and dispositions reset, the environment inherited. With `output` nil it keeps this process's
    /// terminal and process group (the TUI).
    static func spawn(_ path: String, _ arguments: [String], output: Int32?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, output, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if output != nil {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        // ETXTBSY: a file just written (a wrapper script) can still be open for writing in a child another thread forked
        // before its descriptor was closed; that child execs or exits within moments.
        var retries = 0
        while result == ETXTBSY && retries < 20 {
            retries += 1
            usleep(10_000)
            result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return pid
    }

    /// Replaces this process with `path`. The calling thread's signal mask is cleared first: `exec` keeps it, and this
    /// runs on a concurrency thread that blocks nearly every signal (Codex would then ignore the stop's SIGTERM).
    static func exec(_ path: String, _ arguments: [String]) -> Int32 {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        var empty = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, nil)
        execv(path, argv)
        let code = errno
        for pointer in argv { free(pointer) }
        Self.say("whatsagent: cannot run \(path): \(String(cString: strerror(code)))")
        return 127
    }

    static func record(_ status: CodexAttachStatus, _ plan: CodexAttachPlan) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(status) else { return }
        let temporary = "\(plan.status).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, plan.status) != 0 { unlink(temporary) }
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\r\n").utf8))
    }
}
