import Foundation

/// Everything a recipe needs to start one agent session, as plain values: the daemon resolves the agent, its
/// runtime settings and its session before asking for a plan (this module knows no database).
public struct LaunchRequest: Sendable {
    public var runtime: RuntimeKind
    /// The command to run: a name looked up on `PATH`, or a path. The agent's override, else the runtime setting.
    public var command: String
    /// Extra arguments, in order: the runtime setting's, then the agent's. They are kept as given.
    public var arguments: [String]
    /// The repo directory the agent works in.
    public var workingDirectory: String
    /// The session variables of SPEC §6.2 (`WHATSAGENT_*`, token included). They reach the process only through its
    /// environment and generated 0600 files, never its command line.
    public var sessionEnvironment: [String: String]
    /// The generated MCP config file of SPEC §6.2 (already written by the session service).
    public var mcpConfigPath: String
    /// Absolute path of the `whatsagent` executable that serves `mcp`.
    public var whatsagentExecutable: String
    /// The colleague protocol and the persona, injected through the runtime's system-prompt mechanism.
    public var prompt: LaunchPrompt
    public var push: PushSettings
    /// A 0700 directory for this session's generated files (`<home>/workspaces/<id>/run`).
    public var generatedDirectory: String
    /// A short name unique to the session (e.g. the first 8 characters of its id) that prefixes generated files.
    public var fileStem: String
    /// The environment the process starts from (normally the daemon's); the plan adjusts a copy.
    public var baseEnvironment: [String: String]
    /// Codex only: start it behind its app-server (`whatsagent codex-attach`, docs/codex-app-server.md) so the daemon
    /// can start and steer turns; false gives plain `codex` with the typed nudge.
    public var codexAppServer: Bool

    public init(
        runtime: RuntimeKind,
        command: String,
        arguments: [String] = [],
        workingDirectory: String,
        sessionEnvironment: [String: String],
        mcpConfigPath: String,
        whatsagentExecutable: String,
        prompt: LaunchPrompt = LaunchPrompt(),
        push: PushSettings = PushSettings(),
        generatedDirectory: String,
        fileStem: String,
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        codexAppServer: Bool = false
    ) {
        self.runtime = runtime
        self.command = command
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.sessionEnvironment = sessionEnvironment
        self.mcpConfigPath = mcpConfigPath
        self.whatsagentExecutable = whatsagentExecutable
        self.prompt = prompt
        self.push = push
        self.generatedDirectory = generatedDirectory
        self.fileStem = fileStem
        self.baseEnvironment = baseEnvironment
        self.codexAppServer = codexAppServer
    }

    /// The `whatsagent mcp` server every runtime but Pi is given.
    public var mcpServer: MCPServerSpec {
        MCPServerSpec(command: self.whatsagentExecutable, environment: self.sessionEnvironment)
    }
}
