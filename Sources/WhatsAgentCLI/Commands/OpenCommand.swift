import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension WhatsAgent {
    /// `whatsagent open`: the web UI in the browser. Only the plain URL is passed to the opener — never a token or a
    /// password, which would show in every process listing; the page asks for the password (or runs the first-run
    /// setup, whose link `whatsagent start` printed).
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open the web UI in the browser (it asks for the web password; no credential on any command line).",
            discussion: "Uses $BROWSER when set, else xdg-open (Linux) or open (macOS). --print only prints the URL."
        )

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("print"), help: "Print the URL instead of opening it.") var printOnly = false

        func run() async throws {
            let status = try await self.global.client.status()
            let url = status.url + "/"
            if self.global.json { return try Output.json(["url": url]) }
            if self.printOnly { return print(url) }
            guard let opener = Self.opener(environment: ProcessInfo.processInfo.environment) else {
                throw CLIFailure(
                    code: "command_not_found",
                    message: "no browser opener found (set $BROWSER or install xdg-utils); open \(url) yourself",
                    exit: .failed
                )
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [url]
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw CLIFailure(
                    code: "open_failed",
                    message: "could not run \(opener): \(error.localizedDescription); open \(url) yourself",
                    exit: .failed
                )
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CLIFailure(
                    code: "open_failed",
                    message: "\(opener) exited with \(process.terminationStatus); open \(url) yourself",
                    exit: .failed
                )
            }
            print("opened \(url) (sign in with your web password)")
        }

        /// `$BROWSER` (a program name or path), else `xdg-open`, else `open`, looked up on `PATH`.
        static func opener(environment: [String: String]) -> String? {
            let candidates = [environment["BROWSER"]].compactMap { $0 }.filter { !$0.isEmpty } + ["xdg-open", "open"]
            let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            for candidate in candidates {
                if candidate.contains("/") {
                    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                    continue
                }
                for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + candidate) {
                    return folder + "/" + candidate
                }
            }
            return nil
        }
    }
}
