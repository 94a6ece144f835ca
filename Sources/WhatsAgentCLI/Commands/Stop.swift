import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

extension WhatsAgent {
    /// `whatsagent stop`: asks the daemon to shut down and waits until it has.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the daemon.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Also stop every managed agent runner.")
        var all = false

        func run() async throws {
            let home = self.global.layout
            let info = try await self.global.client.stop(stopRunners: self.all)
            if !(await Self.waitForExit(pidFile: home.pidFile, timeout: .seconds(30))) {
                kill(info.pid, SIGKILL)
                _ = await Self.waitForExit(pidFile: home.pidFile, timeout: .seconds(5))
                throw CLIFailure(
                    code: "stop_timeout",
                    message: "the daemon (pid \(info.pid)) did not stop within 30 s and was killed; see \(home.logFile)",
                    exit: .failed
                )
            }
            if self.global.json {
                try Output.json(info)
            } else {
                print("stopped the daemon (pid \(info.pid))")
            }
        }

        /// Waits for the daemon to release its lock (it does so last, on exit). False on timeout.
        static func waitForExit(pidFile: String, timeout: Duration) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread {
                            PIDFileLock.waitUntilReleased(path: pidFile)
                            continuation.resume()
                        }.start()
                    }
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }
    }
}
