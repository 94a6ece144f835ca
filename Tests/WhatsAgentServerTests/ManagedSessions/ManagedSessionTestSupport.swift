import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentServer
import WhatsAgentTerminal

/// A real daemon in this process on a short temporary home, launching real runners (`.build/debug/whatsagent`,
/// built by `swift build` next to the test bundle).
final class ManagedDaemon: @unchecked Sendable {
    static var executable: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("whatsagent").path
    }

    let home: HomeLayout
    /// A repo directory (`api`) and a scratch directory for agents' output files.
    let repo: String
    private(set) var client: DaemonClient
    /// What the daemon reported when it became ready (its TCP `url`, the web `setupURL`, …).
    private(set) var info: DaemonInfo
    private var task: Task<Void, any Error>

    private init(home: HomeLayout, repo: String, client: DaemonClient, info: DaemonInfo, task: Task<Void, any Error>) {
        self.home = home
        self.repo = repo
        self.client = client
        self.info = info
        self.task = task
    }

    /// Starts a daemon with a workspace `w` and a repo `api`.
    static func start() async throws -> ManagedDaemon {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build the whatsagent binary first: swift build")
        let home = HomeLayout(root: "/tmp/wm-\(UUID().uuidString.prefix(8).lowercased())")
        let repo = "\(home.root)-repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        let (client, info, task) = try await Self.run(home)
        let daemon = ManagedDaemon(home: home, repo: repo, client: client, info: info, task: task)
        _ = try await client.createWorkspace(CreateWorkspaceRequest(name: "w"))
        _ = try await client.addRepo(workspace: nil, CreateRepoRequest(path: repo, name: "api"))
        return daemon
    }

    private static func run(_ home: HomeLayout) async throws -> (DaemonClient, DaemonInfo, Task<Void, any Error>) {
        var configuration = DaemonConfiguration()
        configuration.port = 0
        let daemon = Daemon(home: home, configuration: configuration, version: "9.9.9", executablePath: Self.executable, logger: quietLogger)
        let (ready, continuation) = AsyncStream.makeStream(of: DaemonInfo.self)
        let task = Task {
            defer { continuation.finish() }
            try await daemon.run { info in continuation.yield(info) }
        }
        var iterator = ready.makeAsyncIterator()
        guard let info = await iterator.next() else {
            try await task.value
            throw CancellationError()
        }
        return (DaemonClient(socketPath: info.socket), info, task)
    }

    /// Stops the daemon; runners keep running unless `stopRunners`.
    func stopDaemon(stopRunners: Bool = false) async throws {
        _ = try await self.client.stop(stopRunners: stopRunners)
        try await self.task.value
    }

    /// Starts the daemon again on the same home (re-adoption).
    func restartDaemon() async throws {
        let (client, info, task) = try await Self.run(self.home)
        self.client = client
        self.info = info
        self.task = task
    }

    /// Runs `body` with a fresh daemon, then stops everything — every runner of the home included, whether the
    /// daemon still runs or not — and removes the folders, also when `body` throws.
    static func with(_ body: (ManagedDaemon) async throws -> Void) async throws {
        let daemon = try await Self.start()
        do {
            try await body(daemon)
        } catch {
            await daemon.shutdown()
            throw error
        }
        await daemon.shutdown()
    }

    /// Stops the daemon and every runner (by their metadata files too: a test may have stopped the daemon) and
    /// removes the folders.
    func shutdown() async {
        _ = try? await self.client.stop(stopRunners: true)
        _ = try? await self.task.value
        let workspaces = "\(self.home.root)/workspaces"
        for workspace in (try? FileManager.default.contentsOfDirectory(atPath: workspaces)) ?? [] {
            let run = "\(workspaces)/\(workspace)/run"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? [] where name.hasSuffix(".runner.json") {
                guard let metadata = try? RunnerMetadata.read(from: "\(run)/\(name)") else { continue }
                if processAlive(metadata.runnerPID) { kill(metadata.runnerPID, SIGKILL) }
                if metadata.childPID > 0 { kill(-metadata.childPID, SIGKILL) }
            }
        }
        try? FileManager.default.removeItem(atPath: self.home.root)
        try? FileManager.default.removeItem(atPath: self.repo)
    }

    /// Adds a custom agent running `/bin/sh -c script`.
    @discardableResult
    func addShellAgent(_ name: String, _ script: String) async throws -> String {
        let address = "api:\(name)"
        _ = try await self.client.addAgent(
            workspace: nil,
            CreateAgentRequest(address: address, runtime: .custom, command: "/bin/sh", args: ["-c", script])
        )
        return address
    }

    func agent(_ address: String) async throws -> AgentResponse {
        try await self.client.agent(workspace: nil, address)
    }

    /// The run directory of the workspace.
    func runDirectory() async throws -> String {
        let workspace = try await self.client.workspace(nil)
        return self.home.runDirectory(WorkspaceID(rawValue: workspace.id))
    }
}

/// Polls `condition` every 20 ms until it returns a value, failing after `timeout`.
func eventually<T>(
    _ what: String,
    timeout: Duration = .seconds(15),
    _ condition: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if let value = try await condition() { return value }
        try await Task.sleep(for: .milliseconds(20))
    }
    if let value = try await condition() { return value }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}

/// Whether a process runs (zombies count as gone).
func processAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
        return true
    }
    let state = stat[stat.index(after: close)...].dropFirst().first
    return state != "Z" && state != "X"
}

/// The running (not zombie) processes of a process group, from /proc.
func liveMembers(ofGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 3 && fields[0] != "Z" && fields[0] != "X" && Int32(fields[3]) == group
    }
}

extension ClientError {
    /// The wire code of an API error.
    var apiCode: String? {
        if case .api(_, let code, _) = self { return code }
        return nil
    }

    var apiMessage: String? {
        if case .api(_, _, let message) = self { return message }
        return nil
    }
}
