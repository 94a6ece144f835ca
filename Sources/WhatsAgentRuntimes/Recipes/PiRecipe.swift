import WhatsAgentAPI

/// Pi (no MCP): a generated extension passed with `-e <file>`. It registers the agent's tools from the daemon,
/// appends the prompt to the system prompt and, with pushes on, sends coalesced follow-up messages.
enum PiRecipe {
    static let extensionFlag = "-e"

    static func path(_ request: LaunchRequest) -> String {
        "\(request.generatedDirectory)/\(request.fileStem).pi-extension.js"
    }

    static func apply(_ request: LaunchRequest, to plan: inout LaunchPlan) throws {
        let path = self.path(request)
        let settings = PiExtensionSource.Settings(guidance: request.prompt.text(for: .pi), push: request.push.enabled)
        plan.files.append(.directory(request.generatedDirectory))
        plan.files.append(.file(path, text: try PiExtensionSource.render(settings)))
        let given =
            ArgumentList.values(of: self.extensionFlag, in: request.arguments)
            + ArgumentList.values(of: "--extension", in: request.arguments)
        if !given.contains(path) { plan.arguments += [self.extensionFlag, path] }
        plan.push = request.push.enabled ? .extension : .none
    }
}
