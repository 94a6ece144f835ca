import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension WhatsAgent {
    /// `whatsagent status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show whether the daemon runs, where, and what it holds.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let status = try await self.global.client.status()
            if self.global.json { return try Output.json(status) }
            print("WhatsAgent \(status.version) is running (pid \(status.pid))")
            print("url:        \(status.url)")
            print("socket:     \(status.socket)")
            print("home:       \(status.home)")
            print("started:    \(TimeText.local(status.startedAt))")
            print("workspaces: \(status.workspaces)")
            print("sessions:   \(status.sessions)")
        }
    }

    /// `whatsagent backup FILE`.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Write a consistent copy of the home (all databases) to FILE while the daemon runs.",
            discussion: "FILE is a tar archive; restore with `mkdir NEW_HOME && tar -xf FILE -C NEW_HOME`."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The archive to write.")
        var file: String

        func run() async throws {
            let path = URL(fileURLWithPath: self.file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL.path
            let result = try await self.global.client.backup(to: path)
            if self.global.json { return try Output.json(result) }
            print("wrote \(result.path) (\(result.bytes) bytes): \(result.databases.joined(separator: ", "))")
        }
    }
}
