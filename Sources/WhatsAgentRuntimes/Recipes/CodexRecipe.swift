import Foundation

/// Codex: `-c mcp_servers.whatsagent.{command,args,env_vars}` overrides (variable names only: the values stay in the
/// process environment) and the prompt as `-c developer_instructions=…`. Codex shows MCP tools but no server
/// notifications, so pushes are PTY nudges.
enum CodexRecipe {
    static let configFlags = ["-c", "--config"]
    static let instructionsKey = "developer_instructions"

    static func apply(_ request: LaunchRequest, to plan: inout LaunchPlan) {
        let givenKeys = Set(self.overrideKeys(in: request.arguments))
        for override in request.mcpServer.codexOverrides {
            let key = String(override.prefix { $0 != "=" })
            if !givenKeys.contains(key) { plan.arguments += ["-c", override] }
        }
        if !givenKeys.contains(self.instructionsKey) {
            plan.arguments += ["-c", "\(self.instructionsKey)=\(TOML.string(request.prompt.text(for: .codex)))"]
        }
        plan.push = LaunchRecipes.nudge(request.push)
    }

    /// The keys of the user's `-c key=value` / `--config key=value` / `--config=key=value` overrides.
    static func overrideKeys(in arguments: [String]) -> [String] {
        self.configFlags.flatMap { ArgumentList.values(of: $0, in: arguments) }
            .map { String($0.prefix { $0 != "=" }).trimmingCharacters(in: .whitespaces) }
    }
}
