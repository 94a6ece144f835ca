import Foundation
import Logging
import Testing

@testable import WhatsAgentServer

@Suite struct LoggingTests {
    func makeDirectory() throws -> String {
        let path = "/tmp/wal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func linesAreJSONWithSecretsRedacted() throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = LogFile(path: "\(directory)/daemon.log")
        let logger = Logger(label: "t") { label in JSONLogHandler(label: label, file: file) }

        logger.info("connected", metadata: ["session.token": "s3cr3t", "agent.id": "a1", "password": "hunter2"])
        logger.debug("not written at info level")

        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(lines.count == 1)
        #expect(object["message"] as? String == "connected")
        #expect(object["level"] as? String == "info")
        #expect(object["agent.id"] as? String == "a1")
        #expect(object["session.token"] as? String == "[redacted]")
        #expect(!text.contains("s3cr3t") && !text.contains("hunter2"))
    }

    @Test func filesRotateBySize() throws {
        let directory = try self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = LogFile(path: "\(directory)/daemon.log", maxBytes: 1000, keep: 2)

        for index in 0..<100 {
            file.append(Data("line \(index) \(String(repeating: "x", count: 40))".utf8))
        }

        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["daemon.log", "daemon.log.1", "daemon.log.2"])
        for name in names {
            let size = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")[.size] as? Int ?? 0
            #expect(size <= 1000)
        }
        #expect(try String(contentsOfFile: "\(directory)/daemon.log", encoding: .utf8).contains("line 99"))
    }
}
