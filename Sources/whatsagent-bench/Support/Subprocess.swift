import Foundation

/// Runs short-lived commands (the `whatsagent` CLI) to completion without blocking the task pool.
enum Subprocess {
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// The bench's environment without any `WHATSAGENT_*` variable (the CLI refuses human-only actions when it sees a
    /// session token), plus `extra`.
    static func environment(adding extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WHATSAGENT_") }.merging(extra) { $1 }
    }

    /// Runs `executable`; both output pipes are drained on threads of their own while it runs.
    static func run(_ executable: String, _ arguments: [String]) async throws -> Output {
        let child = try Spawn.start(executable, arguments, environment: self.environment(), stdout: .pipe, stderr: .pipe)
        return await withCheckedContinuation { continuation in
            let errors = Locked(Data())
            let errorsRead = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let data = child.stderr.map(Spawn.readAll) ?? Data()
                errors.withLock { $0 = data }
                errorsRead.signal()
            }
            Thread.detachNewThread {
                let output = child.stdout.map(Spawn.readAll) ?? Data()
                errorsRead.wait()
                let status = Spawn.waitBlocking(child.pid)
                let text = String(decoding: errors.withLock { $0 }, as: UTF8.self)
                continuation.resume(returning: Output(status: status, stdout: output, stderr: text))
            }
        }
    }

    /// Runs `executable` and returns its standard output; a non-zero exit is a ``BenchError/command(arguments:status:stderr:)``.
    static func checked(_ executable: String, _ arguments: [String]) async throws -> Data {
        let output = try await self.run(executable, arguments)
        guard output.status == 0 else {
            throw BenchError.command(arguments: [executable] + arguments, status: output.status, stderr: output.stderr)
        }
        return output.stdout
    }

    /// Blocking variant for cleanup paths (the signal handler must finish before the process exits).
    static func runBlocking(_ executable: String, _ arguments: [String]) -> Int32 {
        guard let child = try? Spawn.start(executable, arguments, environment: self.environment()) else { return -1 }
        return Spawn.waitBlocking(child.pid)
    }
}
