import Foundation
import WhatsAgentAPI

/// SPEC §14 row 3: `whatsagent mcp` from spawn to `initialize` answered, and its resident memory right after.
///
/// The server answers `initialize` only once it fetched the agent's tools and the daemon greeted its events stream,
/// so this is the whole start of a usable session. Each spawn is ended (stdin closed) and reaped before the next.
enum MCPStart {
    struct Sample: Sendable {
        var milliseconds: Double
        var residentBytes: Double
        var anonymousBytes: Double
        var fileBytes: Double
    }

    static func sample(binary: String, agent: DaemonHarness.Agent, logPath: String) async throws -> Sample {
        let environment = Subprocess.environment(adding: agent.connection.environment)
        let client = try MCPStdioClient(binary: binary, environment: environment, stderrPath: logPath)
        do {
            let deadline = Deadline(seconds: 30, what: "`whatsagent mcp` answering initialize", onTimeout: { client.terminate() })
            let reply = try await deadline.run {
                try await client.initialize()
            }
            let answered = ContinuousClock.now
            guard reply.result?.protocolVersion != nil else { throw BenchError.unexpected("initialize returned no protocolVersion") }
            let resident = try ResidentMemory.bytes(pid: client.pid)
            let split = ResidentMemory.split(pid: client.pid)
            await client.close()
            return Sample(
                milliseconds: (answered - client.spawnedAt).milliseconds,
                residentBytes: resident,
                anonymousBytes: split.anonymous,
                fileBytes: split.file
            )
        } catch {
            client.terminate()
            throw error
        }
    }
}
