import ArgumentParser
import WhatsAgentAPI

/// `whatsagent`: the daemon, the CLI, and (later) the MCP server and PTY runner, in one executable.
public struct WhatsAgent: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "whatsagent",
        abstract: "Coordinate AI coding agents: workspaces, messaging, a shared board — all local.",
        discussion: """
            Exit codes: 0 ok, 1 refused or failed, 2 usage error, 3 daemon not running, 4 daemon already running.
            Every command takes --home DIR (or WHATSAGENT_DAEMON_HOME); data commands take --json.
            `whatsagent help COMMAND` (or `whatsagent COMMAND --help`) shows one command's help.
            """,
        version: WhatsAgentVersion.current,
        subcommands: [
            Start.self, Stop.self, Status.self, Open.self, Backup.self,
            WorkspaceCommand.self, RepoCommand.self, AgentCommand.self, MessageCommand.self, ChannelCommand.self, RoleCommand.self, AuditCommand.self,
            PeerRuleCommand.self, RuntimeCommand.self, TaskCommand.self, EpicCommand.self, BoardCommand.self,
            AuthCommand.self, MCP.self, RunnerCommand.self, CodexAttachCommand.self,
        ]
    )

    public init() {}
}
