import Foundation
import Logging
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

@testable import WhatsAgentServer

/// A real daemon in this process: TCP on port 0 and the Unix socket, driven through `DaemonClient`.
@Suite struct DaemonTests {
    /// Starts a daemon in a child task and returns once it is ready.
    func start(_ home: HomeLayout) async throws -> (DaemonInfo, Task<Void, any Error>) {
        var configuration = DaemonConfiguration()
        configuration.port = 0
        let daemon = Daemon(home: home, configuration: configuration, version: "9.9.9", executablePath: "/usr/bin/whatsagent", logger: quietLogger)
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
        return (info, task)
    }

    func makeHome() -> HomeLayout {
        HomeLayout(root: "/tmp/wad-\(UUID().uuidString.prefix(8).lowercased())")
    }

    @Test func servesTheSocketAPIAndStopsCleanly() async throws {
        let home = self.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home.root) }
        let (info, task) = try await self.start(home)
        let client = DaemonClient(socketPath: info.socket)

        let mode = try FileManager.default.attributesOfItem(atPath: home.socket)[.posixPermissions] as? Int
        let homeMode = try FileManager.default.attributesOfItem(atPath: home.root)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(homeMode == 0o700)
        #expect(info.url.hasPrefix("http://127.0.0.1:") && !info.url.hasSuffix(":0"))
        #expect(try await client.health().version == "9.9.9")
        #expect(try await client.createWorkspace(CreateWorkspaceRequest(name: "alpha")).isCurrent)
        #expect(try await client.status().workspaces == 1)
        let pidFile = try WireJSON.decoder().decode(DaemonInfo.self, from: Data(contentsOf: URL(fileURLWithPath: home.pidFile)))
        var shared = info
        shared.setupURL = nil  // the one-time setup link goes to the owner's terminal only, never into daemon.pid
        #expect(pidFile == shared)
        #expect(info.setupURL?.hasPrefix(info.url + "/setup?token=") == true)

        _ = try await client.stop(stopRunners: false)
        try await task.value

        #expect(!FileManager.default.fileExists(atPath: home.socket))
        #expect(!FileManager.default.fileExists(atPath: home.pidFile))
        await #expect(throws: ClientError.daemonNotRunning(socket: home.socket)) { try await client.status() }
    }

    @Test func aSecondDaemonForTheSameHomeIsRefusedWithoutTouchingTheSocket() async throws {
        let home = self.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home.root) }
        let (info, task) = try await self.start(home)

        var configuration = DaemonConfiguration()
        configuration.port = 0
        let second = Daemon(home: home, configuration: configuration, version: "9.9.9", executablePath: "/usr/bin/whatsagent", logger: quietLogger)
        let error = await #expect(throws: DomainError.self) { try await second.run { _ in } }

        #expect(error?.code == .daemonAlreadyRunning)
        #expect(error?.message.contains("pid \(info.pid)") == true)
        #expect(try await DaemonClient(socketPath: home.socket).health().ok)
        _ = try await DaemonClient(socketPath: home.socket).stop(stopRunners: false)
        try await task.value
    }

    @Test func stateSurvivesARestart() async throws {
        let home = self.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home.root) }
        let repo = home.root + "-repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: repo) }

        let (first, firstTask) = try await self.start(home)
        let client = DaemonClient(socketPath: first.socket)
        _ = try await client.createWorkspace(CreateWorkspaceRequest(name: "alpha"))
        _ = try await client.addRepo(workspace: nil, CreateRepoRequest(path: repo, name: "api"))
        let agent = try await client.addAgent(workspace: nil, CreateAgentRequest(address: "api:main", main: true))
        _ = try await client.stop(stopRunners: false)
        try await firstTask.value

        let (_, secondTask) = try await self.start(home)

        #expect(try await client.agents(workspace: nil).agents == [agent])
        #expect(try await client.workspaces().workspaces.map(\.name) == ["alpha"])
        _ = try await client.stop(stopRunners: false)
        try await secondTask.value
    }

    @Test func aPortInUseIsAClearError() async throws {
        let home = self.makeHome()
        let other = self.makeHome()
        defer {
            try? FileManager.default.removeItem(atPath: home.root)
            try? FileManager.default.removeItem(atPath: other.root)
        }
        let (info, task) = try await self.start(home)
        let port = try #require(info.url.split(separator: ":").last.flatMap { Int($0) })

        var configuration = DaemonConfiguration()
        configuration.port = port
        let clash = Daemon(home: other, configuration: configuration, version: "9.9.9", executablePath: "/usr/bin/whatsagent", logger: quietLogger)
        let error = await #expect(throws: DomainError.self) { try await clash.run { _ in } }

        #expect(error?.code == .bindFailed)
        #expect(error?.message.contains("\(port)") == true)
        #expect(error?.message.contains("in use") == true)
        #expect(!FileManager.default.fileExists(atPath: other.socket))
        #expect(!FileManager.default.fileExists(atPath: other.pidFile))
        _ = try await DaemonClient(socketPath: home.socket).stop(stopRunners: false)
        try await task.value
    }

    @Test func stoppingEndsHeldEventStreams() async throws {
        let home = self.makeHome()
        let repo = home.root + "-repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: home.root)
            try? FileManager.default.removeItem(atPath: repo)
        }
        let (info, task) = try await self.start(home)
        let client = DaemonClient(socketPath: info.socket)
        _ = try await client.createWorkspace(CreateWorkspaceRequest(name: "alpha"))
        _ = try await client.addRepo(workspace: nil, CreateRepoRequest(path: repo, name: "api"))
        _ = try await client.addAgent(workspace: nil, CreateAgentRequest(address: "api:dev"))
        let connection = try await client.connect(workspace: nil, "api:dev", replace: false)
        var events = AgentClient(socketPath: info.socket, token: connection.token).events().makeAsyncIterator()
        #expect(try await events.next()?.kind == .hello)

        _ = try await client.stop(stopRunners: false)
        // The daemon stops only if the held stream did not keep its server waiting; bounded so a regression fails.
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await task.value) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(stopped, "the daemon did not stop while an agent held its events stream")

        while let event = try? await events.next() {
            #expect(event.kind != .mail)
        }
    }
}
