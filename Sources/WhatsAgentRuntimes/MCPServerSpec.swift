import Foundation
import WhatsAgentAPI

/// The `whatsagent mcp` server as each runtime wants it configured (`reference/runtime-integration.md`): one source of
/// truth for launches and for `agent connect --print-config`.
public struct MCPServerSpec: Equatable, Sendable {
    /// The server name runtimes see; tools appear as `mcp__whatsagent__<tool>` (Claude) or `whatsagent_<tool>`.
    public static let name = "whatsagent"

    /// Absolute path of the `whatsagent` executable.
    public var command: String
    public var arguments: [String]
    /// The session variables of SPEC §6.2.
    public var environment: [String: String]

    public init(command: String, arguments: [String] = ["mcp"], environment: [String: String]) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
    }

    /// The session variable names that are set, in the order of ``SessionEnvironment/all``.
    public var variableNames: [String] {
        SessionEnvironment.all.filter { self.environment[$0] != nil }
    }

    /// `{"command":…,"args":[…],"env":{…}}`: one server entry of the standard `mcpServers` shape.
    public var serverObject: [String: Any] {
        ["command": self.command, "args": self.arguments, "env": self.environment]
    }

    /// `{"mcpServers":{"whatsagent":{…}}}`, pretty-printed with sorted keys (the shape of SPEC §6.2).
    public func mcpServersJSON() throws -> String {
        try JSONText.render(["mcpServers": [Self.name: self.serverObject]], pretty: true)
    }

    /// Codex `-c` overrides: command, args, the NAMES of the variables to pass through (`env_vars`) — the values stay
    /// in the codex process environment, so the token never appears on a command line — and our tools approved
    /// (`default_tools_approval_mode = "approve"`): without it `codex exec` cancels every call ("user cancelled MCP
    /// tool call") and the TUI asks before each one. The daemon checks RBAC and topology on every call.
    public var codexOverrides: [String] {
        [
            "mcp_servers.\(Self.name).command=\(TOML.string(self.command))",
            "mcp_servers.\(Self.name).args=\(TOML.array(self.arguments))",
            "mcp_servers.\(Self.name).env_vars=\(TOML.array(self.variableNames))",
            "mcp_servers.\(Self.name).default_tools_approval_mode=\(TOML.string("approve"))",
        ]
    }

    /// The Claude Code command for an external session: the session's 0600 MCP config file (the token stays in
    /// it, never on a command line or in `claude mcp get`), the channel, and our tools allowed.
    public static func claudeCommand(mcpConfigPath: String) -> [String] {
        [
            "claude", "--mcp-config", mcpConfigPath, "--dangerously-load-development-channels", "server:\(Self.name)",
            "--allowedTools", "mcp__\(Self.name)",
        ]
    }

    /// OpenCode's local server entry: `command` is an argv array, the variables go in `environment`.
    public var openCodeEntry: [String: Any] {
        ["type": "local", "command": [self.command] + self.arguments, "environment": self.environment, "enabled": true]
    }
}

/// JSON text with the project's settings: sorted keys, unescaped slashes.
enum JSONText {
    static func render(_ object: Any, pretty: Bool) throws -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
    }
}

/// TOML values for Codex `-c key=value` overrides.
enum TOML {
    /// A basic string with escapes (quotes, backslashes and control characters).
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += String(format: "\\u%04X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func array(_ values: [String]) -> String {
        "[" + values.map(self.string).joined(separator: ",") + "]"
    }
}
