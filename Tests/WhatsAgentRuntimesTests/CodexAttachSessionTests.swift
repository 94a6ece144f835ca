import Foundation
import Testing

@testable import WhatsAgentRuntimes

/// `codex-attach` around the app-server's life (issue 16): a Codex whose TUI cannot attach (`--remote` missing) gets
/// no app-server; an app-server lost during the session is told apart from a human who quits or a stop; the
/// conversation to resume in plain `codex` is found.
@Suite struct CodexAttachSessionTests {
    private func plan(codex: String, in directory: TemporaryDirectory, remote: [String] = []) -> CodexAttachPlan {
        let socket = "\(directory.path)/s.sock"
        return CodexAttachPlan(
            codex: codex,
            socket: socket,
            status: "\(directory.path)/s.status.json",
            log: "\(directory.path)/s.log",
            appServerArguments: ["app-server", "--listen", "unix://\(socket)"],
            remoteArguments: remote,
            fallbackArguments: [],
            startTimeoutMilliseconds: 10_000
        )
    }

    /// An executable script, written through a close-on-exec descriptor: a process another test forks meanwhile keeps
    /// no descriptor open for writing on it (running it would fail with "Text file busy").
    private func script(_ directory: TemporaryDirectory, _ name: String, _ body: String) throws -> String {
        let path = "\(directory.path)/\(name)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let bytes = Array("#!/bin/sh\n\(body)\n".utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { throw POSIXError(.EIO) }
        return path
    }

    // MARK: The `--remote` probe

    @Test func aCodexWhoseTUIHasNoRemoteOptionGetsNoAppServer() throws {
        let directory = try TemporaryDirectory()
        let help = "echo 'Usage: codex [OPTIONS] [PROMPT]'; echo '  -c, --config <key=value>'; echo '  remote-control  Manage'"
        let codex = try self.script(
            directory,
            "codex",
            "if [ \"$1\" = --help ]; then \(help); exit 0; fi\ntouch \(directory.path)/started; exec sleep 30"
        )
        let result = CodexAttach.openAppServer(self.plan(codex: codex, in: directory))
        guard case .failure(let failure) = result else {
            Issue.record("a Codex without --remote got an app-server: \(result)")
            return
        }
        #expect(failure.reason.contains("no `--remote` option"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/started"), "the app-server was not started")
    }

    @Test func aCodexWhoseTUITakesRemoteGetsItsAppServer() throws {
        let directory = try TemporaryDirectory()
        let listener = "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(30)"
        let codex = try self.script(
            directory,
            "codex",
            "if [ \"$1\" = --help ]; then echo '      --remote <ADDR>'; exit 0; fi\nexec python3 -c '\(listener)' \"${3#unix://}\""
        )
        let result = CodexAttach.openAppServer(self.plan(codex: codex, in: directory))
        guard case .success(let pid) = result else {
            Issue.record("a Codex with --remote got no app-server: \(result)")
            return
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @Test func aCodexThatDoesNotAnswerHelpInTimeIsNotAttached() throws {
        let directory = try TemporaryDirectory()
        let codex = try self.script(directory, "codex", "exec sleep 30")
        #expect(CodexAttach.remoteMissing(codex, timeoutMilliseconds: 200)?.contains("did not answer") == true)
    }

    // MARK: The TUI's end

    /// An app-server stand-in: this process's child, running until it is killed.
    private func appServer(in directory: TemporaryDirectory) throws -> pid_t {
        let log = open("\(directory.path)/server.log", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        defer { close(log) }
        return try CodexAttach.spawn(try self.script(directory, "server", "exec sleep 30"), [], output: log)
    }

    private func reap(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @Test func aTUIThatEndsWithItsAppServerIsTheAppServerLost() throws {
        let directory = try TemporaryDirectory()
        let server = try self.appServer(in: directory)
        // The TUI loses its app-server (here: kills it) and ends with an error, as Codex 0.147's does.
        let tui = try self.script(directory, "codex", "kill -KILL \"$1\"; echo 'ERROR: remote app server transport failed' >&2; exit 1")
        let end = CodexAttach.superviseTUI(self.plan(codex: tui, in: directory, remote: ["\(server)"]), appServer: server, stopping: { false })
        guard case .appServerLost(let reason) = end else {
            self.reap(server)
            Issue.record("a lost app-server was taken for \(end)")
            return
        }
        #expect(reason == "it was killed by signal 9")
    }

    @Test func aHumanWhoQuitsOrATUIThatFailsLeavesTheAppServerAlone() throws {
        let directory = try TemporaryDirectory()
        let server = try self.appServer(in: directory)
        defer { self.reap(server) }
        for (body, code) in [("exit 0", Int32(0)), ("exit 3", 3)] {
            let tui = try self.script(directory, "codex-\(code)", body)
            let end = CodexAttach.superviseTUI(self.plan(codex: tui, in: directory), appServer: server, stopping: { false })
            #expect(end == .exited(code))
        }
        #expect(kill(server, 0) == 0, "the app-server still runs")
    }

    @Test func anAppServerEndedByAStopIsNotTakenForALostOne() throws {
        let directory = try TemporaryDirectory()
        let server = try self.appServer(in: directory)
        let tui = try self.script(directory, "codex", "kill -KILL \"$1\"; exit 1")
        let end = CodexAttach.superviseTUI(self.plan(codex: tui, in: directory, remote: ["\(server)"]), appServer: server, stopping: { true })
        #expect(end == .exited(1))
        self.reap(server)
    }

    @Test func exitCodesReadAsAShellWould() {
        #expect(CodexAttach.exitCode(0) == 0)
        #expect(CodexAttach.exitCode(2 << 8) == 2)
        #expect(CodexAttach.exitCode(9) == 137)
        #expect(CodexAttach.describe(1 << 8) == "exited with status 1")
        #expect(CodexAttach.describe(15) == "was killed by signal 15")
    }

    // MARK: The conversation to resume

    private func rollout(_ home: String, _ name: String, id: String, cwd: String, modified: Date) throws {
        let folder = "\(home)/sessions/2026/12/07"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let meta: [String: Any] = ["type": "session_meta", "payload": ["id": id, "cwd": cwd, "source": "vscode"]]
        var data = try JSONSerialization.data(withJSONObject: meta)
        data += Data("\n{\"type\":\"response_item\"}\n".utf8)
        let path = "\(folder)/rollout-2026-12-07T05-09-53-\(name).jsonl"
        try data.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
    }

    @Test func theConversationResumedIsTheNewestOfThisSessionInThisFolder() throws {
        let directory = try TemporaryDirectory()
        let (home, repo) = ("\(directory.path)/codex-home", "\(directory.path)/repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        let started = Date()
        #expect(CodexAttach.resumableSession(codexHome: home, directory: repo, since: started) == nil, "no sessions folder")
        try self.rollout(home, "old", id: "old-session", cwd: repo, modified: started.addingTimeInterval(-600))
        #expect(CodexAttach.resumableSession(codexHome: home, directory: repo, since: started) == nil, "written before the start")
        try self.rollout(home, "mine", id: "this-session", cwd: repo, modified: started.addingTimeInterval(5))
        try self.rollout(home, "other", id: "elsewhere", cwd: "\(directory.path)/other", modified: started.addingTimeInterval(9))
        #expect(CodexAttach.resumableSession(codexHome: home, directory: repo, since: started) == "this-session")
        try self.rollout(home, "later", id: "later-session", cwd: repo, modified: started.addingTimeInterval(7))
        #expect(CodexAttach.resumableSession(codexHome: home, directory: repo, since: started) == "later-session")
    }
}
