import Foundation
import WhatsAgentAPI
import WhatsAgentClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One daemon in a fresh temporary home, started and stopped with the real CLI (`whatsagent start`/`stop`).
struct DaemonHarness: Sendable {
    let binary: String
    let home: String
    let info: DaemonInfo

    /// One connected agent: `agent connect --json` gave its session token and environment.
    struct Agent: Sendable {
        var address: String
        var connection: AgentConnection
        var client: AgentClient
    }

    /// A new home with a short path: the daemon's Unix socket path must stay under 107 bytes.
    static func makeHome() throws -> String {
        var template = Array("/tmp/wab-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchError.unexpected("cannot create a temporary home: \(String(cString: strerror(errno)))")
        }
        return String(cString: created)
    }

    /// `whatsagent start --home H --port 0 --json` in `home` (registered with ``Cleanup`` by the caller).
    static func start(binary: String, home: String) async throws -> DaemonInfo {
        let output = try await Subprocess.checked(binary, ["start", "--home", home, "--port", "0", "--json"])
        do {
            let info = try WireJSON.decoder().decode(DaemonInfo.self, from: output)
            Cleanup.shared.noteDaemon(home: home, pid: info.pid)
            return info
        } catch {
            throw BenchError.unexpected("`whatsagent start --json` printed something else: \(String(decoding: output, as: UTF8.self))")
        }
    }

    /// Starts a daemon in a fresh home, runs `body`, and always stops the daemon and removes the home.
    static func with<T: Sendable>(binary: String, _ body: (DaemonHarness) async throws -> T) async throws -> T {
        let home = try self.makeHome()
        Cleanup.shared.register(home: home, binary: binary)
        let result: T
        do {
            let harness = DaemonHarness(binary: binary, home: home, info: try await self.start(binary: binary, home: home))
            result = try await body(harness)
        } catch {
            Cleanup.shared.release(home: home)
            throw error
        }
        guard Cleanup.shared.release(home: home) else {
            throw BenchError.unexpected("`whatsagent stop --home \(home)` failed; the daemon was killed")
        }
        return result
    }

    /// Runs one CLI command against this daemon's home and returns its standard output.
    @discardableResult
    func cli(_ arguments: [String]) async throws -> Data {
        try await Subprocess.checked(self.binary, arguments + ["--home", self.home])
    }

    /// A p2p workspace without a rate limit and without the loop guard (the rows' agents exchange far more than the
    /// guard's 40 messages per pair in 10 minutes: with it on, the last messages of most pairs would be held, and the
    /// throughput row would wait for mail that is never pushed), one repo `api` and `count` agents `api:a0…`, each
    /// connected with `agent connect --json`. Returns the workspace's RBAC setting, its id and the agents. `name`
    /// names the workspace (`bench`); every command names it, so several can be set up on one daemon.
    func setUpAgents(
        count: Int,
        rbacMode: String,
        name: String = "bench"
    ) async throws -> (rbacSetting: String, workspace: String, agents: [Agent]) {
        let workspaceJSON = try await self.cli(
            ["workspace", "add", name, "--topology", "p2p", "--rate-limit", "off", "--loop-guard", "off", "--rbac-mode", rbacMode, "--json"]
        )
        let workspace = try WireJSON.decoder().decode(WorkspaceResponse.self, from: workspaceJSON)
        let repo = self.home + (name == "bench" ? "/repo" : "/repo-\(name)")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try await self.cli(["repo", "add", repo, "--name", "api", "--workspace", name])
        var agents: [Agent] = []
        for index in 0..<count {
            let address = "api:a\(index)"
            try await self.cli(["agent", "add", address, "--workspace", name])
            agents.append(try await self.connect(address, workspace: name))
        }
        return (workspace.rbacMode.rawValue, workspace.id, agents)
    }

    /// The same agents of workspace `name` on this (restarted) daemon: each keeps its session when the daemon kept it,
    /// and is connected again with `agent connect --replace` when not.
    func reconnect(_ agents: [Agent], workspace name: String) async throws -> [Agent] {
        var connected: [Agent] = []
        for agent in agents {
            let client = AgentClient(socketPath: self.info.socket, token: agent.connection.token)
            if let whoami = try? await client.call("whoami", arguments: [:]), !whoami.isError {
                connected.append(Agent(address: agent.address, connection: agent.connection, client: client))
                continue
            }
            connected.append(try await self.connect(agent.address, workspace: name, replace: true))
        }
        return connected
    }

    /// `agent connect --json` (ending a live session first with `replace`): the agent with its session.
    private func connect(_ address: String, workspace name: String, replace: Bool = false) async throws -> Agent {
        let output = try await self.cli(["agent", "connect", address, "--workspace", name, "--json"] + (replace ? ["--replace"] : []))
        let connection = try WireJSON.decoder().decode(AgentConnection.self, from: output)
        return Agent(address: address, connection: connection, client: AgentClient(socketPath: self.info.socket, token: connection.token))
    }

    /// How many RBAC decisions the daemon audited in the workspace (`audit list`); nil when this binary has no
    /// audit log, i.e. does not enforce RBAC.
    func auditedDecisions() async -> Int? {
        guard let output = try? await self.cli(["audit", "list", "--limit", "1", "--json"]),
            let list = try? WireJSON.decoder().decode(AuditList.self, from: output)
        else { return nil }
        return list.total
    }
}
