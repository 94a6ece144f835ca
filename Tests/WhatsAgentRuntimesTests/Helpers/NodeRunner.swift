import Foundation
import Testing

@testable import WhatsAgentRuntimes

/// Runs the Node harnesses in `Tests/WhatsAgentRuntimesTests/Node` against generated plugin files.
enum NodeRunner {
    static let harnessDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Node").path

    /// `node` on PATH; a test fails (never skips) without it: `make setup` installs it.
    static func node() throws -> String {
        guard let node = ExecutableLookup(environment: ProcessInfo.processInfo.environment).resolve("node") else {
            throw NodeMissing()
        }
        return node
    }

    struct NodeMissing: Error, CustomStringConvertible {
        var description: String { "node is not on PATH; run `make setup` (it installs the nodejs package)" }
    }

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs `node <harness> <scenario> <module>` with `environment` added, and waits for it to exit.
    static func run(harness: String, scenario: String, module: String, environment: [String: String]) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try self.node())
        process.arguments = ["\(self.harnessDirectory)/\(harness)", scenario, module]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("wa-node-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { _ in exited.fire() }
        try process.run()
        if !(await exited.wait(timeout: .seconds(60))) {
            process.terminate()
            await exited.wait()
        }
        let output = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
        return Outcome(status: process.terminationStatus, output: output)
    }
}
