import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentRuntimes

extension AgentCommand {
    /// `whatsagent agent connect`: an external session for an agent you run in your own terminal (SPEC §6.5).
    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "connect",
            abstract: "Open a session for an agent you start yourself and print its MCP configuration.",
            discussion: """
                --print-config json (default) prints the MCP config file of the session; claude prints the `claude` command \
                that loads the session's MCP config file (0600: the token stays in it), the channel, and our tools allowed; \
                codex prints the environment and `codex -c …` flags (the token is in the environment, never on the command \
                line; our tools approved); opencode prints an opencode.json "mcp" entry.
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
        static let configuration = CommandConfiguration(
            commandName: "disconnect",
            abstract: "End an agent's live session; its token stops working at once."
        )
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

/// Renders a new session as ready-to-use configuration for each runtime. The shapes come from
/// ``MCPServerSpec`` (WhatsAgentRuntimes), the same source launches use (`reference/runtime-integration.md`).
enum ConnectConfig {
    static func render(_ connection: AgentConnection, as format: AgentCommand.ConfigFormat) throws -> String {
        let server = MCPServerSpec(command: connection.command, environment: connection.environment)
        switch format {
        case .json:
            return try server.mcpServersJSON()
        case .claude:
            guard let path = connection.mcpConfigPath else {
                throw ValidationError("the daemon wrote no MCP config file for this session; use --print-config json")
            }
            return MCPServerSpec.claudeCommand(mcpConfigPath: path).map(self.shellQuoteIfNeeded).joined(separator: " ")
        case .codex:
            let exports = server.variableNames.compactMap { name in
                server.environment[name].map { "export \(name)=\(self.shellQuote($0))" }
            }
            let flags = server.codexOverrides.map { "-c \(self.shellQuote($0))" }
            return (exports + ["codex " + flags.joined(separator: " ")]).joined(separator: "\n")
        case .opencode:
            return try self.json(["mcp": [MCPServerSpec.name: server.openCodeEntry]], pretty: true)
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

    /// Quotes only when the shell would split or interpret the text.
    static func shellQuoteIfNeeded(_ text: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:@,+%"))
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { safe.contains($0) }
        return plain ? text : self.shellQuote(text)
    }
}
