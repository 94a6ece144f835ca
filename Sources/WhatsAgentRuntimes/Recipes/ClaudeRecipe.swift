import WhatsAgentAPI

/// Claude Code: `--mcp-config <file> --dangerously-load-development-channels server:whatsagent --allowedTools
/// mcp__whatsagent` (our tools run without the auto-mode classifier's model request and the first-call notice that
/// waits for Enter; the daemon checks RBAC and topology on every call), the prompt through `--append-system-prompt`, `MCP_PROTOCOL_NEGOTIATION=legacy` (the v2 negotiation does not register channels) and
/// no inherited `CLAUDE_CODE_CHILD_SESSION` (transcripts would not be saved).
enum ClaudeRecipe {
    static let mcpConfigFlag = "--mcp-config"
    static let channelsFlag = "--dangerously-load-development-channels"
    static let channel = "server:\(MCPServerSpec.name)"
    static let systemPromptFlag = "--append-system-prompt"
    /// Claude's flag (and its kebab-case alias) for tools that run without asking; values are space- or comma-separated.
    static let allowedToolsFlags = ["--allowedTools", "--allowed-tools"]
    /// Every tool of our server, as a Claude permission rule.
    static let allowedTools = "mcp__\(MCPServerSpec.name)"

    static func apply(_ request: LaunchRequest, to plan: inout LaunchPlan) {
        let given = request.arguments
        if !ArgumentList.variadicValues(of: self.mcpConfigFlag, in: given).contains(request.mcpConfigPath) {
            plan.arguments += [self.mcpConfigFlag, request.mcpConfigPath]
        }
        if !ArgumentList.variadicValues(of: self.channelsFlag, in: given).contains(self.channel) {
            plan.arguments += [self.channelsFlag, self.channel]
        }
        if !self.allowsOurTools(given) {
            plan.arguments += [self.allowedToolsFlags[0], self.allowedTools]
        }
        let prompt = request.prompt.text(for: .claude)
        // Claude takes one --append-system-prompt: extend the user's instead of giving a second.
        let extended = ArgumentList.replaceLastValue(of: self.systemPromptFlag, in: &plan.arguments) { $0 + "\n\n" + prompt }
        if !extended { plan.arguments += [self.systemPromptFlag, prompt] }

        plan.environment["MCP_PROTOCOL_NEGOTIATION"] = "legacy"
        plan.environment["CLAUDE_CODE_CHILD_SESSION"] = nil
        plan.push = request.push.enabled ? .mcpNotification : .none
    }

    /// Whether the user's own `--allowedTools` already allow our tools (the whole server or one of them).
    static func allowsOurTools(_ arguments: [String]) -> Bool {
        self.allowedToolsFlags.flatMap { ArgumentList.variadicValues(of: $0, in: arguments) }
            .flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }
            .contains { $0 == self.allowedTools }
    }
}
