import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

/// The generated OpenCode plugin and Pi extension, run by Node against a fake host API and a fake daemon
/// (`Node/*.mjs`; each scenario asserts with `node:assert` and exits non-zero on failure).
@Suite struct GeneratedPluginTests {
    let directory: TemporaryDirectory

    init() throws {
        self.directory = try TemporaryDirectory(prefix: "wn-")
    }

    var environment: [String: String] {
        ["WHATSAGENT_SOCKET": "\(self.directory.path)/d.sock", "WHATSAGENT_SESSION_TOKEN": "wa1_test-token"]
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = "\(self.directory.path)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: ["shape", "v1", "discovers", "v2", "v2InProcess", "refused"])
    func openCodePlugin(scenario: String) async throws {
        let plugin = try self.write("whatsagent-plugin.js", try OpenCodePluginSource.render(OpenCodePluginSource.Settings()))
        let outcome = try await NodeRunner.run(harness: "opencode-plugin.mjs", scenario: scenario, module: plugin, environment: self.environment)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("ok \(scenario)"))
    }

    @Test(arguments: [("extension", true), ("quiet", false), ("capped", true)])
    func piExtension(scenario: String, push: Bool) async throws {
        let settings = PiExtensionSource.Settings(guidance: LaunchPrompt().text(for: .pi), push: push)
        let file = try self.write("ext.pi-extension.js", try PiExtensionSource.render(settings))
        let outcome = try await NodeRunner.run(harness: "pi-extension.mjs", scenario: scenario, module: file, environment: self.environment)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("ok \(scenario)"))
    }

    @Test func generatedFilesAreSyntacticallyValidModulesWithoutPackageImports() async throws {
        let files = [
            try self.write("a.mjs", try OpenCodePluginSource.render(OpenCodePluginSource.Settings())),
            try self.write("b.mjs", try PiExtensionSource.render(PiExtensionSource.Settings(guidance: "g\u{2028}\"quoted\" </script>"))),
        ]
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }
            #expect(imports == ["import http from \"node:http\";"], "only Node built-ins")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try NodeRunner.node())
            process.arguments = ["--check", file]
            let exited = ExitSignal()
            process.terminationHandler = { _ in exited.fire() }
            try process.run()
            await exited.wait()
            #expect(process.terminationStatus == 0, "\(file) does not parse")
        }
    }
}
