import Foundation

/// Any command: `{mcp_config}` in an argument becomes the MCP config path; the session variables (including
/// `WHATSAGENT_MCP_CONFIG`) are in the environment; pushes are PTY nudges.
enum CustomRecipe {
    static let placeholder = "{mcp_config}"

    static func apply(_ request: LaunchRequest, to plan: inout LaunchPlan) {
        plan.arguments = request.arguments.map { $0.replacingOccurrences(of: self.placeholder, with: request.mcpConfigPath) }
        plan.push = LaunchRecipes.nudge(request.push)
    }
}
