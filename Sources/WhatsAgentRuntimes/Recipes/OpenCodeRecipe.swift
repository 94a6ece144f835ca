import Foundation

/// OpenCode: a generated config directory named by `OPENCODE_CONFIG_DIR`, holding `opencode.json` (the MCP server,
/// the instructions file and the plugin), `whatsagent-instructions.md` and, with pushes on, `whatsagent-plugin.js`.
///
/// The plugin lives beside `opencode.json`, not in a `plugin/` or `plugins/` folder, so OpenCode loads it once
/// (from the config entry) rather than also discovering it.
enum OpenCodeRecipe {
    static let configDirectoryVariable = "OPENCODE_CONFIG_DIR"

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
        plan.files.insert(.file("\(directory)/opencode.json", text: try JSONText.render(config, pretty: true) + "\n"), at: 1)
        plan.environment[self.configDirectoryVariable] = directory
    }
}
