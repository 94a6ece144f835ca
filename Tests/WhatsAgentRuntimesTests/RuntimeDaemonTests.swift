import Foundation
import Logging
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentServer

@testable import WhatsAgentRuntimes

/// Runtime settings, detection and the generated plugins against a real daemon in this process (Unix socket).
@Suite struct RuntimeDaemonTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Starts a daemon on a fresh short home; `body` gets a client; the daemon is stopped afterwards.
    func withDaemon(_ body: (DaemonClient, HomeLayout) async throws -> Void) async throws {
        let home = HomeLayout(root: "/tmp/wrd-\(UUID().uuidString.prefix(8).lowercased())")
        defer { try? FileManager.default.removeItem(atPath: home.root) }
        var configuration = DaemonConfiguration()
        configuration.port = 0
        let daemon = Daemon(home: home, configuration: configuration, version: "9.9.9", executablePath: "/usr/bin/whatsagent", logger: Self.logger)
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
        let client = DaemonClient(socketPath: info.socket)
        do {
            try await body(client, home)
        } catch {
            _ = try? await client.stop(stopRunners: false)
            _ = try? await task.value
            throw error
        }
        _ = try await client.stop(stopRunners: false)
        try await task.value
    }

    @Test func listSetAndDetectOverTheSocket() async throws {
        let bin = try TemporaryDirectory()
        let fake = try bin.script("fake-claude", "echo '2.1.80 (Claude Code)'")
        try await self.withDaemon { client, _ in
            let defaults = try await client.runtimes()
            #expect(defaults.runtimes.map(\.runtime) == ["claude", "codex", "opencode", "pi", "custom"])
            #expect(defaults.runtimes.allSatisfy { $0.isDefault })
            #expect(defaults.runtimes.map(\.command) == ["claude", "codex", "opencode", "pi", nil])

            let set = try await client.setRuntime("claude", SetRuntimeRequest(command: fake, args: ["--verbose", "-x"]))
            #expect(set.command == fake && set.args == ["--verbose", "-x"] && !set.isDefault && set.updatedAt != nil)
            _ = try await client.setRuntime("codex", SetRuntimeRequest(command: "\(bin.path)/missing-codex"))
            #expect(try await client.runtimes().runtimes.first == set)

            let detected = try await client.detectRuntimes().runtimes
            let claude = try #require(detected.first { $0.runtime == "claude" })
            #expect(claude.status == "found" && claude.path == fake && claude.version == "2.1.80 (Claude Code)")
            let codex = try #require(detected.first { $0.runtime == "codex" })
            #expect(codex.status == "not_found")
            #expect(codex.message.contains("whatsagent runtime set codex --command"))
            let custom = try #require(detected.first { $0.runtime == "custom" })
            #expect(custom.status == "not_found" && custom.message.contains("has no command"))
        }
    }

    @Test func badSettingsAreRefusedWithTheFix() async throws {
        try await self.withDaemon { client, _ in
            let unknown = ClientError.api(
                status: 400,
                code: "invalid_argument",
                message: "unknown runtime 'gemini'; the runtimes are claude, codex, opencode, pi, custom"
            )
            await #expect(throws: unknown) { try await client.setRuntime("gemini", SetRuntimeRequest(command: "gemini")) }
            do {
                _ = try await client.setRuntime("pi", SetRuntimeRequest(command: "  "))
                Issue.record("an empty command was accepted")
            } catch ClientError.api(let status, let code, let message) {
                #expect(status == 400 && code == "invalid_argument" && message.contains("whatsagent runtime set pi --command"))
            }
            do {
                _ = try await client.setRuntime("pi", SetRuntimeRequest(command: "pi", args: ["a\nb"]))
                Issue.record("a newline in an argument was accepted")
            } catch ClientError.api(_, let code, let message) {
                #expect(code == "invalid_argument" && message.contains("argument 1 contains a control character"))
            }
            #expect(try await client.runtimes().runtimes.allSatisfy { $0.isDefault })
        }
    }

    /// The generated OpenCode plugin and Pi extension, with the session of a real `agent connect`.
    @Test(arguments: [RuntimeKind.opencode, .pi])
    func generatedFilesWorkAgainstTheRealDaemon(runtime: RuntimeKind) async throws {
        let repo = try TemporaryDirectory()
        let scratch = try TemporaryDirectory(prefix: "wn-")
        try await self.withDaemon { client, _ in
            _ = try await client.createWorkspace(CreateWorkspaceRequest(name: "crew"))
            _ = try await client.addRepo(workspace: nil, CreateRepoRequest(path: repo.path, name: "api"))
            _ = try await client.addAgent(workspace: nil, CreateAgentRequest(address: "api:main", main: true))
            _ = try await client.addAgent(
                workspace: nil,
                CreateAgentRequest(address: "api:dev", runtime: RuntimeValue(rawValue: runtime.rawValue))
            )
            let connection = try await client.connect(workspace: nil, "api:dev", replace: false)

            let module = "\(scratch.path)/module.js"
            let text =
                runtime == .pi
                ? try PiExtensionSource.render(PiExtensionSource.Settings(guidance: LaunchPrompt().text(for: .pi)))
                : try OpenCodePluginSource.render(OpenCodePluginSource.Settings())
            try text.write(toFile: module, atomically: true, encoding: .utf8)
            let outcome = try await NodeRunner.run(
                harness: "real-daemon.mjs",
                scenario: runtime.rawValue,
                module: module,
                environment: connection.environment
            )
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(outcome.output.contains("ok \(runtime.rawValue)"))
        }
    }
}
