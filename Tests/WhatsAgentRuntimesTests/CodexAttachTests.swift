import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

/// A managed Codex behind its app-server (issue 16): the launch plan `codex-attach` reads, and how the helper starts
/// the app-server or gives the reason it could not.
@Suite struct CodexAttachTests {
    let fixture: LaunchFixture

    init() throws {
        self.fixture = try LaunchFixture()
    }

    private func attachPlan(_ arguments: [String] = [], push: PushSettings = PushSettings()) throws -> (LaunchPlan, CodexAttachPlan?, LaunchPlan) {
        var request = self.fixture.request(.codex, arguments: arguments, push: push)
        let plain = try self.fixture.plan(request)
        request.codexAppServer = true
        let plan = try self.fixture.plan(request)
        let file = plan.files.first { $0.path.hasSuffix(".codex.json") }
        let attach = try file.map { try JSONDecoder().decode(CodexAttachPlan.self, from: Data(($0.text ?? "").utf8)) }
        return (plan, attach, plain)
    }

    @Test func theTerminalRunsCodexAttachAndTheAppServerGetsOurOverrides() throws {
        let user = ["-c", "model=\"o3\"", "--full-auto"]
        let (plan, attach, plain) = try self.attachPlan(user)
        let path = "\(LaunchFixture.runDirectory)/abcd1234.codex.json"
        let socket = "\(LaunchFixture.runDirectory)/abcd1234.codex.sock"
        #expect(plan.argv == [LaunchFixture.whatsagent, "codex-attach", path])
        let file = try #require(plan.files.first { $0.path == path })
        #expect(file.mode == 0o600)
        let written = try #require(attach)
        #expect(written.codex == self.fixture.path("codex"))
        #expect(written.socket == socket)
        #expect(written.status == "\(LaunchFixture.runDirectory)/abcd1234.codex.status.json")
        let injected = Array(plain.arguments.dropFirst(user.count))
        #expect(written.appServerArguments == ["app-server", "--listen", "unix://\(socket)", "-c", "model=\"o3\""] + injected)
        #expect(injected.contains { $0.hasPrefix("developer_instructions=") })
        #expect(injected.contains { $0.hasPrefix("mcp_servers.whatsagent.default_tools_approval_mode=") })
        #expect(written.remoteArguments == ["--remote", "unix://\(socket)"] + user)
        #expect(written.fallbackArguments == plain.arguments)
        #expect(plan.push == .appServer(socket: socket, status: written.status, fallbackIdle: .seconds(1)))
        // The token stays in the environment: not in the plan's file, not on any command line.
        let everything = [file.text ?? ""] + plan.argv
        #expect(!everything.contains { $0.contains(LaunchFixture.token) })
        #expect(plan.environment["WHATSAGENT_SESSION_TOKEN"] == LaunchFixture.token)
    }

    @Test func pushesOffLeaveNoPushAndNudgesOffStillPushThroughTheAppServer() throws {
        #expect(try self.attachPlan(push: PushSettings(enabled: false)).0.push == .none)
        let (quiet, attach, _) = try self.attachPlan(push: PushSettings(enabled: true, nudgeIdle: nil))
        let written = try #require(attach)
        #expect(quiet.push == .appServer(socket: written.socket, status: written.status, fallbackIdle: .seconds(1)))
        #expect(quiet.push.nudgeMode(pushEnabled: true, nudgeEnabled: false) == .flagOnly, "the typed fallback only flags")
    }

    @Test func aUserWhoAttachesElsewhereOrRunsASubcommandKeepsPlainCodex() throws {
        for arguments in [["--remote", "ws://127.0.0.1:9"], ["resume", "--last"]] {
            let (plan, attach, plain) = try self.attachPlan(arguments)
            #expect(attach == nil)
            #expect(plan.argv == plain.argv)
            #expect(plan.push == .ptyNudge(idle: .seconds(1)))
        }
    }

    @Test func withoutTheSwitchCodexIsPlain() throws {
        let plan = try self.fixture.plan(self.fixture.request(.codex))
        #expect(plan.executable == self.fixture.path("codex"))
        #expect(!plan.files.contains { $0.path.hasSuffix(".codex.json") })
    }

    // MARK: The helper

    private func plan(codex: String, socket: String, in directory: TemporaryDirectory, timeout: Int = 10_000) -> CodexAttachPlan {
        CodexAttachPlan(
            codex: codex,
            socket: socket,
            status: "\(directory.path)/s.status.json",
            log: "\(directory.path)/s.log",
            appServerArguments: ["app-server", "--listen", "unix://\(socket)"],
            remoteArguments: [],
            fallbackArguments: [],
            startTimeoutMilliseconds: timeout
        )
    }

    @Test func anAppServerThatExitsGivesTheReason() throws {
        let directory = try TemporaryDirectory()
        let codex = try directory.script("codex", "echo 'unknown command app-server' >&2; exit 2")
        let result = CodexAttach.startAppServer(self.plan(codex: codex, socket: "\(directory.path)/s.sock", in: directory))
        guard case .failure(let failure) = result else {
            Issue.record("an exiting app-server was taken: \(result)")
            return
        }
        #expect(failure.reason.contains("exited"))
        #expect(try String(contentsOfFile: "\(directory.path)/s.log", encoding: .utf8).contains("unknown command app-server"))
    }

    @Test func aSocketPathTooLongForSunPathIsRefusedBeforeStarting() throws {
        let directory = try TemporaryDirectory()
        let codex = try directory.script("codex", "touch \(directory.path)/started")
        let long = "\(directory.path)/" + String(repeating: "s", count: 120) + ".sock"
        let result = CodexAttach.startAppServer(self.plan(codex: codex, socket: long, in: directory))
        guard case .failure(let failure) = result else {
            Issue.record("a too-long socket path was taken")
            return
        }
        #expect(failure.reason.contains("longer than a Unix socket path may be"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/started"))
    }

    @Test func anAppServerThatNeverListensIsGivenUpAfterTheTimeout() throws {
        let directory = try TemporaryDirectory()
        let codex = try directory.script("codex", "exec sleep 30")
        let result = CodexAttach.startAppServer(self.plan(codex: codex, socket: "\(directory.path)/s.sock", in: directory, timeout: 300))
        guard case .failure(let failure) = result else {
            Issue.record("a silent app-server was taken")
            return
        }
        #expect(failure.reason.contains("did not listen"))
    }

    @Test func aListeningAppServerIsTakenWithAnOwnerOnlySocket() throws {
        let directory = try TemporaryDirectory()
        let socket = "\(directory.path)/s.sock"
        let listener = "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(30)"
        // The script gets `app-server --listen unix://PATH`: $3 is the URL, the path without its scheme.
        let codex = try directory.script("codex", "exec python3 -c '\(listener)' \"${3#unix://}\"")
        let result = CodexAttach.startAppServer(self.plan(codex: codex, socket: socket, in: directory))
        guard case .success(let pid) = result else {
            Issue.record("a listening app-server was not taken: \(result)")
            return
        }
        defer {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o077 == 0)
        #expect(getpgid(pid) == pid, "the app-server leads its own process group")
    }
}
