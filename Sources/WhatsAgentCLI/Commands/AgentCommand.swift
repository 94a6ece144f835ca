import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentRunners
import WhatsAgentServer

/// `whatsagent agent …`.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Define the agents of a workspace (addressed repo:name).",
        subcommands: [
            Add.self, Set.self, List.self, Show.self, Remove.self, SetMain.self, UnsetMain.self, Launch.self, Stop.self, Attach.self,
            Connect.self, Disconnect.self, AgentWorktree.self,
        ]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an agent to a repo.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String
        @Option(help: "claude (default), codex, opencode, pi or custom.") var runtime: RuntimeValue?
        @Option(help: "Command to run instead of the runtime's default.") var command: String?
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue, help: "Extra argument (repeatable).") var args: [String] = []
        @Option(name: .customLong("role"), help: "Role (repeatable; default: main → pm, others → engineer).") var roles: [String] = []
        @Flag(help: "Make it the workspace's main agent.") var main = false
        @Option(name: .customLong("persona-file"), help: "TOML persona fields, or a text file used as extra prompt.") var personaFile: String?
        @Option(help: AgentCommand.nudgeHelp) var nudge: Switch?
        @Flag(help: "Start the agent in its own git worktree of the repo (under the home; branch wa/<name>).") var worktree = false
        @Option(help: "The worktree's branch (default wa/<name>; an existing branch is reused, never reset).") var branch: String?

        func validate() throws {
            if self.branch != nil && !self.worktree { throw ValidationError("--branch needs --worktree") }
        }

        func run() async throws {
            let request = CreateAgentRequest(
                address: self.address,
                runtime: self.runtime,
                command: self.command,
                args: self.args,
                roles: self.roles.isEmpty ? nil : self.roles,
                main: self.main,
                persona: try self.personaFile.map(AgentCommand.persona),
                nudgeEnabled: self.nudge.map { $0 == .on },
                worktree: self.worktree ? true : nil,
                worktreeBranch: self.branch
            )
            let agent = try await self.global.client.addAgent(workspace: self.scope.workspace, request)
            if self.global.json { return try Output.json(agent) }
            print(
                "added agent \(agent.address) (\(agent.runtime.rawValue); roles: \(agent.roles.joined(separator: ", ")))\(agent.isMain ? ", main" : "")"
                    + (agent.worktree.map { "; worktree on branch \($0.branch)" } ?? "")
            )
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change an agent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String
        @Option(help: "claude, codex, opencode, pi or custom.") var runtime: RuntimeValue?
        @Option(help: "Command override; an empty string goes back to the runtime's default.") var command: String?
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue, help: "Extra argument (repeatable; replaces the list).") var args:
            [String] = []
        @Flag(name: .customLong("clear-args"), help: "Remove all extra arguments.") var clearArgs = false
        @Option(name: .customLong("role"), help: "Role (repeatable; replaces the roles).") var roles: [String] = []
        @Option(name: .customLong("persona-file"), help: "Replace the persona from this file.") var personaFile: String?
        @Flag(name: .customLong("clear-persona"), help: "Remove the persona.") var clearPersona = false
        @Option(help: "Deliver pushes to this agent: on or off (off: mail still waits for check_messages).") var push: Switch?
        @Option(help: AgentCommand.nudgeHelp) var nudge: Switch?
        @Option(help: "Mute the agent: on refuses its messages, broadcasts and channel posts; off lets it send again.") var mute: Switch?
        @Option(help: "Start the agent in its own git worktree: on or off (off keeps the folder; see `agent worktree`).") var worktree: Switch?
        @Option(help: "The worktree's branch (used when the worktree is next created).") var branch: String?

        func validate() throws {
            if self.clearArgs && !self.args.isEmpty { throw ValidationError("--clear-args and --arg cannot be combined") }
            if self.clearPersona && self.personaFile != nil { throw ValidationError("--clear-persona and --persona-file cannot be combined") }
        }

        func run() async throws {
            let request = UpdateAgentRequest(
                runtime: self.runtime,
                command: self.command,
                args: self.clearArgs ? [] : (self.args.isEmpty ? nil : self.args),
                roles: self.roles.isEmpty ? nil : self.roles,
                persona: self.clearPersona ? PersonaValue() : try self.personaFile.map(AgentCommand.persona),
                pushEnabled: self.push.map { $0 == .on },
                muted: self.mute.map { $0 == .on },
                nudgeEnabled: self.nudge.map { $0 == .on },
                worktree: self.worktree.map { $0 == .on },
                worktreeBranch: self.branch
            )
            guard request != UpdateAgentRequest() else {
                throw ValidationError("nothing to change; pass at least one option such as --runtime or --role")
            }
            let agent = try await self.global.client.updateAgent(workspace: self.scope.workspace, self.address, request)
            if self.global.json { return try Output.json(agent) }
            print("updated agent \(agent.address)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the workspace's agents.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let list = try await self.global.client.agents(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(list) }
            guard !list.agents.isEmpty else { return print("no agents yet; add one with `whatsagent agent add repo:name`") }
            Output.table(
                ["AGENT", "RUNTIME", "ROLES", "MAIN", "STATE", "PUSH"],
                list.agents.map {
                    [
                        $0.address, $0.runtime.rawValue, $0.roles.joined(separator: ","), $0.isMain ? "main" : "", AgentState.describe($0),
                        AgentCommand.pushColumn($0),
                    ]
                }
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one agent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            let agent = try await self.global.client.agent(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(agent) }
            print("agent:    \(agent.address)\(agent.isMain ? " (main)" : "")")
            print("runtime:  \(agent.runtime.rawValue)" + (agent.command.map { " — command \($0)" } ?? ""))
            if !agent.args.isEmpty { print("args:     \(agent.args.joined(separator: " "))") }
            print("roles:    \(agent.roles.joined(separator: ", "))")
            print("push:     \(agent.pushEnabled ? "on" : "off")")
            print("nudge:    \(AgentCommand.describeNudge(agent))")
            for line in AgentCommand.describePush(agent) { print(line) }
            print("muted:    \(agent.muted ? "yes" : "no")")
            if let persona = agent.persona {
                let fields: [(String, String?)] = [
                    ("description", persona.description), ("responsibilities", persona.responsibilities),
                    ("boundaries", persona.boundaries), ("skills", persona.skills),
                    ("working style", persona.workingStyle), ("extra prompt", persona.extraPrompt),
                ]
                for case let (name, value?) in fields { print("\(name): \(Terminal.safe(value))") }
            }
            for line in agent.worktree.map(AgentWorktree.describe) ?? [] { print(line) }
            for line in agent.session.map(AgentCommand.describe) ?? [] { print(line) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an agent (its history stays readable).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String
        @Flag(help: "Stop its live session first and discard its worktree's uncommitted changes instead of refusing.") var force =
            false

        func run() async throws {
            let result = try await self.global.client.removeAgent(workspace: self.scope.workspace, self.address, force: self.force)
            if self.global.json { return try Output.json(result) }
            print("removed agent \(result.removed)" + AgentCommand.stoppedSuffix(result))
        }
    }

    struct SetMain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-main", abstract: "Make an agent the workspace's main agent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "repo:name") var address: String

        func run() async throws {
            let agent = try await self.global.client.setMain(workspace: self.scope.workspace, self.address)
            if self.global.json { return try Output.json(agent) }
            print("main agent: \(agent.address)")
        }
    }

    struct UnsetMain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unset-main", abstract: "Leave the workspace without a main agent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption

        func run() async throws {
            let result = try await self.global.client.unsetMain(workspace: self.scope.workspace)
            if self.global.json { return try Output.json(result) }
            print(result.previous.map { "\($0) is no longer the main agent" } ?? "there was no main agent")
        }
    }

    /// `on` / `off` switches.
    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on
        case off
    }

    static func persona(_ path: String) throws -> PersonaValue {
        try PersonaFile.load(path: path)
    }

    static func stoppedSuffix(_ result: RemovalResult) -> String {
        guard !result.stoppedSessions.isEmpty else { return "" }
        return "; stopped sessions: " + result.stoppedSessions.map { "\($0.agent) (\($0.id))" }.joined(separator: ", ")
    }
}
