import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of `codex-attach` around the app-server's start (issue 16): a Codex whose TUI has no `--remote` is not
/// given an app-server it could not attach to, and an app-server that stops in the middle of the session hands the
/// terminal to plain `codex`, resuming the same conversation.
extension CodexAttach {
    /// How the TUI attached to the app-server ended.
    enum TUIEnd: Equatable {
        /// The human quit it, or it was stopped: `codex-attach` exits with this code.
        case exited(Int32)
        /// The app-server stopped during the session and the TUI ended with it: the reason, for the status file.
        case appServerLost(String)
    }

    /// Starts the app-server when this Codex can use it: its TUI must take `--remote` (`codex --help` says so;
    /// without it the TUI would refuse its arguments right after the app-server started).
    static func openAppServer(_ plan: CodexAttachPlan) -> Result<pid_t, Unavailable> {
        if let missing = self.remoteMissing(plan.codex, timeoutMilliseconds: plan.startTimeoutMilliseconds) {
            return .failure(Unavailable(reason: missing))
        }
        return self.startAppServer(plan)
    }

    /// Why `codex`'s TUI cannot attach to an app-server (nil: `codex --help` lists `--remote`).
    static func remoteMissing(_ codex: String, timeoutMilliseconds: Int) -> String? {
        guard let help = self.output(of: codex, ["--help"], timeoutMilliseconds: timeoutMilliseconds) else {
            return "`codex --help` did not answer within \(timeoutMilliseconds) ms, so whether its TUI takes `--remote` is unknown"
        }
        let words = help.split { $0.isWhitespace || $0 == "," || $0 == "=" }
        guard words.contains("--remote") else { return "this Codex's TUI has no `--remote` option (`codex --help`)" }
        return nil
    }

    /// The standard output and error of `path arguments` (stdin `/dev/null`), or nil when it did not finish in time.
    static func output(of path: String, _ arguments: [String], timeoutMilliseconds: Int) -> String? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        defer { close(ends[0]) }
        let pid: pid_t
        do {
            pid = try self.spawn(path, arguments, output: ends[1])
        } catch {
            close(ends[1])
            return ""
        }
        close(ends[1])
        var collected = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMilliseconds))
        var finished = false
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) >= 0 || errno == EINTR else { break }
            guard descriptor.revents != 0 else { continue }
            let count = read(ends[0], &chunk, chunk.count)
            if count > 0 {
                collected += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                finished = true
                break
            }
        }
        if !finished { kill(-pid, SIGKILL) }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
        return finished ? String(decoding: collected, as: UTF8.self) : nil
    }

    /// Runs the TUI (`codex --remote …`) on this terminal, in this process group, and waits for it. When it ends
    /// while nothing asked it to stop and the app-server (pid `appServer`, this process's child) has stopped, the
    /// app-server was lost: the reason says how it ended.
    static func superviseTUI(
        _ plan: CodexAttachPlan,
        appServer: pid_t,
        stopping: () -> Bool,
        spawned: (pid_t) -> Void = { _ in }
    ) -> TUIEnd {
        let tui: pid_t
        do {
            tui = try self.spawn(plan.codex, plan.remoteArguments, output: nil)
        } catch {
            Self.say("whatsagent: cannot run \(plan.codex): \(error)")
            return .exited(127)
        }
        spawned(tui)
        var raw: Int32 = 0
        while waitpid(tui, &raw, 0) == -1, errno == EINTR {}
        let code = Self.exitCode(raw)
        guard !stopping() else { return .exited(code) }
        // The TUI ends after the app-server it lost; a human who quits leaves the app-server running. A TUI that
        // failed gets a moment for an app-server going down with it to be reported.
        let deadline = ContinuousClock.now.advanced(by: code == 0 ? .zero : .seconds(1))
        repeat {
            var ended: Int32 = 0
            if waitpid(appServer, &ended, WNOHANG) == appServer {
                return stopping() ? .exited(code) : .appServerLost("it \(Self.describe(ended))")
            }
            if ContinuousClock.now >= deadline { break }
            usleep(20_000)  // a poll of the child's state with a deadline
        } while true
        return .exited(code)
    }

    /// The exit code a shell would report for a `waitpid` status.
    static func exitCode(_ raw: Int32) -> Int32 {
        raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    static func describe(_ raw: Int32) -> String {
        raw & 0x7f == 0 ? "exited with status \((raw >> 8) & 0xff)" : "was killed by signal \(raw & 0x7f)"
    }

    /// Codex's home: `CODEX_HOME`, else `~/.codex`.
    static func codexHome() -> String {
        if let home = ProcessInfo.processInfo.environment["CODEX_HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".codex").path
    }

    /// The id of the conversation this session had: the newest rollout under `<codexHome>/sessions` written since
    /// `since` whose `session_meta` names `directory`. Nil when there is none (nothing was said yet: plain `codex`
    /// starts afresh).
    static func resumableSession(codexHome: String, directory: String, since: Date) -> String? {
        let root = URL(fileURLWithPath: codexHome).appendingPathComponent("sessions")
        let keys: [URLResourceKey] = [.contentModificationDateKey, .isRegularFileKey]
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else { return nil }
        var candidates: [(URL, Date)] = []
        for case let url as URL in walk where url.lastPathComponent.hasPrefix("rollout-") && url.pathExtension == "jsonl" {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                let modified = values.contentModificationDate, modified >= since
            else { continue }
            candidates.append((url, modified))
        }
        let wanted = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        for (url, _) in candidates.sorted(by: { $0.1 > $1.1 }) {
            guard let meta = Self.firstLine(of: url),
                let object = try? JSONSerialization.jsonObject(with: meta) as? [String: Any],
                object["type"] as? String == "session_meta",
                let payload = object["payload"] as? [String: Any],
                let id = payload["id"] as? String, let cwd = payload["cwd"] as? String,
                URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path == wanted
            else { continue }
            return id
        }
        return nil
    }

    /// The first line of a file (its first megabyte at most).
    private static func firstLine(of url: URL) -> Data? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while line.count < 1 << 20, let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
            if let end = chunk.firstIndex(of: 0x0A) { return line + chunk[chunk.startIndex..<end] }
            line += chunk
        }
        return line.isEmpty ? nil : line
    }
}

/// `codex-attach`'s signals while the TUI runs as its child: the terminal's own signals (SIGINT, SIGQUIT, SIGTSTP)
/// are the TUI's; SIGTERM and SIGHUP (a stop) are passed to the TUI and mark the session as stopping, so an
/// app-server ended by the same stop is not taken for a lost one.
final class AttachSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var tui: pid_t = 0
    private var sources: [any DispatchSourceSignal] = []
    private static let terminal = [SIGINT, SIGQUIT, SIGTSTP]
    private static let stops = [SIGTERM, SIGHUP]

    static func install() -> AttachSignals {
        let signals = AttachSignals()
        for number in Self.terminal { signal(number, SIG_IGN) }
        for number in Self.stops {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { signals.stop(number) }
            source.resume()
            signals.sources.append(source)
        }
        return signals
    }

    var stopping: Bool {
        self.lock.withLock { self.raised }
    }

    func forward(to tui: pid_t) {
        self.lock.withLock { self.tui = tui }
    }

    private func stop(_ number: Int32) {
        let tui = self.lock.withLock {
            self.raised = true
            return self.tui
        }
        if tui > 0 { kill(tui, number) }
    }

    /// Back to the default dispositions, before `exec` (an ignored signal stays ignored across it).
    func restore() {
        for source in self.sources { source.cancel() }
        for number in Self.terminal + Self.stops { signal(number, SIG_DFL) }
    }
}
