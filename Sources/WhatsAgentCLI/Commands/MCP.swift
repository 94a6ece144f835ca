import ArgumentParser
import Foundation
import WhatsAgentMCP

extension WhatsAgent {
    /// `whatsagent mcp`: spawned over stdio by an agent runtime with the session environment (SPEC §6.2).
    ///
    /// Stdout carries JSON-RPC, so this command prints nothing itself; refusals go to stderr.
    struct MCP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Run the stdio MCP server for an agent session (started by agent runtimes)"
        )

        func run() async throws {
            let code = await WhatsAgentMCPMain.run(environment: ProcessInfo.processInfo.environment)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
