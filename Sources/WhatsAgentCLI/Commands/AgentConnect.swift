import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

extension AgentCommand {
    /// `whatsagent agent connect`: an external session for an agent you run in your own terminal (SPEC §6.5).
    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a session for an agent you start yourself and print its MCP configuration.",
            discussion: """
                --print-config json (default) prints the MCP config file of the session; claude prints a `claude mcp add-json` \
                line and the flag to start Claude with; codex prints the environment and `codex -c …` flags (the token is in \
                the environment, never on the command line); opencode prints an opencode.json "mcp" entry.
                The session lasts until `whatsagent agent disconnect`.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String
        @Option(name: .customLong("print-config"), help: "json, claude, codex or opencode.") var printConfig: ConfigFormat = .json
        @Flag(help: "End the agent's live session first instead of refusing.") var replace = false

        func run() async throws {
            let connection = try await self.global.client.connect(workspace: self.scope.workspace, self.address, replace: self.replace)
            if self.global.json { return try Output.json(connection) }
            print(try ConnectConfig.render(connection, as: self.printConfig))
        }
    }

    /// `whatsagent agent disconnect`.
    struct Disconnect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an agent's live session; its token stops working at once.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            let session = try await self.global.client.disconnect(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(session) }
            print("disconnected \(session.agent) (session \(session.id))")
        }
    }

    enum ConfigFormat: String, ExpressibleByArgument, CaseIterable {
        case json
        case claude
        case codex
        case opencode
    }
}

/// Renders a new session as ready-to-use configuration for each runtime (`reference/runtime-integration.md`).
enum ConnectConfig {
    static func render(_ connection: AgentConnection, as format: AgentCommand.ConfigFormat) throws -> String {
        let environment = connection.environment
        let server: [String: Any] = ["command": connection.command, "args": ["mcp"], "env": environment]
        switch format {
        case .json:
            return try self.json(["mcpServers": ["whatsagent": server]], pretty: true)
        case .claude:
            return """
                claude mcp add-json whatsagent \(self.shellQuote(try self.json(server, pretty: false)))
                claude --dangerously-load-development-channels server:whatsagent
                """
        case .codex:
            let names = SessionEnvironment.all.filter { environment[$0] != nil }
            let exports = names.compactMap { name in environment[name].map { "export \(name)=\(self.shellQuote($0))" } }
            let flags = [
                "-c \(self.shellQuote("mcp_servers.whatsagent.command=\(self.tomlString(connection.command))"))",
                "-c \(self.shellQuote("mcp_servers.whatsagent.args=[\"mcp\"]"))",
                "-c \(self.shellQuote("mcp_servers.whatsagent.env_vars=[\(names.map(self.tomlString).joined(separator: ","))]"))",
            ]
            return (exports + ["codex " + flags.joined(separator: " ")]).joined(separator: "\n")
        case .opencode:
            let entry: [String: Any] = [
                "type": "local", "command": [connection.command, "mcp"], "environment": environment, "enabled": true,
            ]
            return try self.json(["mcp": ["whatsagent": entry]], pretty: true)
        }
    }

    static func json(_ object: Any, pretty: Bool) throws -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
    }

    /// Single-quotes for POSIX shells.
    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func tomlString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
