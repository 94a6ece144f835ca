import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

/// A temporary directory removed when the value is released by the test.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(prefix: String = "wrt-") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        self.path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: self.path) }

    /// Writes an executable shell script named `name` and returns its path.
    @discardableResult
    func script(_ name: String, _ body: String) throws -> String {
        let path = "\(self.path)/\(name)"
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}

/// A launch request with fixed, recognisable values; `bin` holds fake executables for every runtime.
struct LaunchFixture {
    static let token = "wa1_SECRETTOKENVALUE"
    static let configPath = "/h/workspaces/w1/run/abcd1234.mcp.json"
    static let runDirectory = "/h/workspaces/w1/run"
    static let whatsagent = "/opt/whatsagent/bin/whatsagent"

    let bin: TemporaryDirectory

    init() throws {
        self.bin = try TemporaryDirectory()
        for name in ["claude", "codex", "opencode", "pi", "my-agent"] { try self.bin.script(name, "exit 0") }
    }

    static let session: [String: String] = [
        "WHATSAGENT_SOCKET": "/h/daemon.sock",
        "WHATSAGENT_WORKSPACE_ID": "w1",
        "WHATSAGENT_AGENT": "api:dev",
        "WHATSAGENT_SESSION_ID": "abcd1234efgh",
        "WHATSAGENT_SESSION_TOKEN": token,
        "WHATSAGENT_RUNTIME": "claude",
        "WHATSAGENT_MCP_CONFIG": configPath,
    ]

    func request(
        _ runtime: RuntimeKind,
        command: String? = nil,
        arguments: [String] = [],
        push: PushSettings = PushSettings(),
        persona: PersonaValue? = PersonaValue(description: "Owns the API")
    ) -> LaunchRequest {
        LaunchRequest(
            runtime: runtime,
            command: command ?? runtime.defaultCommand ?? "my-agent",
            arguments: arguments,
            workingDirectory: "/repos/api",
            sessionEnvironment: Self.session,
            mcpConfigPath: Self.configPath,
            whatsagentExecutable: Self.whatsagent,
            prompt: LaunchPrompt(colleagueProtocol: "PROTOCOL", persona: persona),
            push: push,
            generatedDirectory: Self.runDirectory,
            fileStem: "abcd1234",
            baseEnvironment: [
                "PATH": self.bin.path,
                "HOME": "/home/u",
                "CLAUDE_CODE_CHILD_SESSION": "1",
                "WHATSAGENT_SESSION_TOKEN": "wa1_INHERITED",
                "WHATSAGENT_MCP_CONFIG": "/elsewhere.json",
            ]
        )
    }

    func plan(_ request: LaunchRequest) throws -> LaunchPlan {
        try LaunchRecipes.plan(request)
    }

    func path(_ name: String) -> String { "\(self.bin.path)/\(name)" }
}

extension LaunchPlan {
    /// The generated file at `path`.
    func file(_ path: String) -> GeneratedFile? { self.files.first { $0.path == path } }
}
