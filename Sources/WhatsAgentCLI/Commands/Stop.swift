import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentTerminal

extension WhatsAgent {
    /// `whatsagent stop`: asks the daemon to shut down and waits until it has.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the daemon.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Also stop every managed agent runner.")
        var all = false

        func run() async throws {
            let home = self.global.layout
            let info = try await self.global.client.stop(stopRunners: self.all)
            if !(await Self.waitForExit(pidFile: home.pidFile, pid: info.pid, timeout: .seconds(30))) {
                kill(info.pid, SIGKILL)
                _ = await Self.waitForExit(pidFile: home.pidFile, pid: info.pid, timeout: .seconds(5))
                throw CLIFailure(
                    code: "stop_timeout",
                    message: "the daemon (pid \(info.pid)) did not stop within 30 s and was killed; see \(home.logFile)",
                    exit: .failed
                )
            }
            if self.global.json {
                try Output.json(info)
            } else {
                let agents = info.stoppedAgents.map { count in " and \(count) managed \(count == 1 ? "agent" : "agents")" } ?? ""
                print("stopped the daemon (pid \(info.pid))\(agents)")
            }
        }

        /// Waits for the daemon to release its lock (it does so last) and then for its process to end, so that when
        /// `stop` returns no descriptor of the daemon is open any more (its logs, for one: a script may unmount or
        /// archive the home next). False on timeout.
        ///
        /// The lock is awaited by a blocking `flock` on a thread of its own, outside any task group: a group would wait
        /// for that thread at its end, so a daemon that never exits would hang `stop` instead of reaching the SIGKILL.
        static func waitForExit(pidFile: String, pid: Int32, timeout: Duration) async -> Bool {
            await withCheckedContinuation { continuation in
                let answer = FirstAnswer(continuation)
                let milliseconds = Int32(clamping: timeout.components.seconds * 1000)
                Thread {
                    PIDFileLock.waitUntilReleased(path: pidFile)
                    // The lock goes with its descriptor, a moment before the process ends; the rest of the wait is short.
                    answer.give(ProcessExitWait.blockingWait(pid: pid, timeoutMilliseconds: milliseconds))
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
