import Foundation
import WhatsAgentAPI

/// OpenCode: the session's configuration (the MCP server, the instructions file and the plugin) injected as JSON in
/// `OPENCODE_CONFIG_CONTENT`, which OpenCode 1.x merges last and OpenCode 2.x reads as an inline document, normalising
/// the 1.x keys it holds (`plugin`, `mcp.<name>`); a generated directory holds `whatsagent-instructions.md` and, with
/// pushes on, `whatsagent-plugin.js`. OpenCode 2.x no longer reads `OPENCODE_CONFIG_DIR`.
///
/// The plugin is not in a `plugin/` or `plugins/` folder, so OpenCode loads it once (from the config entry) rather
/// than also discovering it.
enum OpenCodeRecipe {
    static let configContentVariable = "OPENCODE_CONFIG_CONTENT"

    static func directory(_ request: LaunchRequest) -> String {
        "\(request.generatedDirectory)/\(request.fileStem).opencode"
    }

    static func apply(_ request: LaunchRequest, to plan: inout LaunchPlan) throws {
        let directory = self.directory(request)
        let instructions = "\(directory)/whatsagent-instructions.md"
        let plugin = "\(directory)/whatsagent-plugin.js"
        var config: [String: Any] = [
            "$schema": "https://opencode.ai/config.json",
            "mcp": [MCPServerSpec.name: request.mcpServer.openCodeEntry],
            "instructions": [instructions],
        ]
        plan.files.append(.directory(directory))
        plan.files.append(.file(instructions, text: request.prompt.text(for: .opencode) + "\n"))
        if request.push.enabled {
            config["plugin"] = [URL(fileURLWithPath: plugin).absoluteString]
            plan.files.append(.file(plugin, text: try OpenCodePluginSource.render(OpenCodePluginSource.Settings())))
            plan.push = .plugin
        } else {
            plan.push = .none
        }
        plan.environment[self.configContentVariable] = try JSONText.render(config, pretty: false)
    }
}
