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
        ///
        /// The lock is awaited by a blocking `flock` on a thread of its own, outside any task group: a group would wait
        /// for that thread at its end, so a daemon that never exits would hang `stop` instead of reaching the SIGKILL.
        static func waitForExit(pidFile: String, timeout: Duration) async -> Bool {
            await withCheckedContinuation { continuation in
                let answer = FirstAnswer(continuation)
                Thread {
                    PIDFileLock.waitUntilReleased(path: pidFile)
                    answer.give(true)
                }.start()
                Task {
                    try? await Task.sleep(for: timeout)
                    answer.give(false)
                }
            }
        }
    }
}

/// Resumes a continuation with the first answer given; later answers are ignored.
private final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Bool, Never>?

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = continuation
    }

    func give(_ answer: Bool) {
        self.lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        self.lock.unlock()
        continuation?.resume(returning: answer)
    }
}
