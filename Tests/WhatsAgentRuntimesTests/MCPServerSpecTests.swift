import Foundation
import Testing

@testable import WhatsAgentRuntimes

@Suite struct MCPServerSpecTests {
    let spec = MCPServerSpec(command: "/bin/wa", environment: ["WHATSAGENT_SESSION_TOKEN": "t", "WHATSAGENT_SOCKET": "/s", "OTHER": "x"])

    @Test func codexOverridesListOnlySessionVariableNames() {
        #expect(
            self.spec.codexOverrides == [
                "mcp_servers.whatsagent.command=\"/bin/wa\"",
                "mcp_servers.whatsagent.args=[\"mcp\"]",
                "mcp_servers.whatsagent.env_vars=[\"WHATSAGENT_SOCKET\",\"WHATSAGENT_SESSION_TOKEN\"]",
                "mcp_servers.whatsagent.default_tools_approval_mode=\"approve\"",
            ]
        )
    }

    /// Issue 15, finding 4: the printed Claude command loads the session's 0600 MCP config file; the token is never on
    /// it. Finding 3: our tools are allowed, so no classifier request or first-call notice stalls the agent.
    @Test func theClaudeCommandNamesTheConfigFileAndAllowsOurTools() {
        let argv = MCPServerSpec.claudeCommand(mcpConfigPath: "/h/run/abc.mcp.json")
        #expect(
            argv == [
                "claude", "--mcp-config", "/h/run/abc.mcp.json", "--dangerously-load-development-channels", "server:whatsagent",
                "--allowedTools", "mcp__whatsagent",
            ]
        )
    }

    @Test func mcpServersJSONIsTheStandardShape() throws {
        let text = try self.spec.mcpServersJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
        let expected: NSDictionary = ["mcpServers": ["whatsagent": ["command": "/bin/wa", "args": ["mcp"], "env": self.spec.environment]]]
        #expect(object == expected)
        #expect(text.contains("\n"), "pretty-printed")
    }

    @Test func openCodeEntryUsesAnArgvArray() {
        let entry = self.spec.openCodeEntry as NSDictionary
        let expected: NSDictionary = ["type": "local", "command": ["/bin/wa", "mcp"], "environment": self.spec.environment, "enabled": true]
        #expect(entry == expected)
    }

    @Test func tomlStringsEscapeQuotesBackslashesAndControls() {
        #expect(TOML.string("a\"b\\c\nd\te\u{1}") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"")
        #expect(TOML.array(["x", "y"]) == "[\"x\",\"y\"]")
    }
}
