import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

/// The process entry point: parses, runs, and maps every outcome to output and an exit code.
public enum CommandLineMain {
    /// Runs `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        let arguments = Self.helpRewritten(arguments)
        let json = arguments.contains("--json")
        let (path, unknown) = Self.commandPath(arguments)
        if let unknown {
            Self.report(CLIFailure(code: "usage", message: unknown, exit: .usage), json: json)
            return CLIFailure.Exit.usage.rawValue
        }
        if let refusal = Self.agentSessionRefusal(path: path, environment: ProcessInfo.processInfo.environment) {
            Self.report(refusal, json: json)
            return refusal.exit.rawValue
        }
        do {
            var command = try WhatsAgent.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            if var failure = CLIFailure.classify(error) {
                if let guess = await DidYouMean.hint(for: failure, arguments: arguments) { failure.message += "; did you mean '\(guess)'?" }
                failure.message = DidYouMean.keepingOptions(failure.message, arguments: arguments, failureCode: failure.code)
                Self.report(failure, json: json)
                return failure.exit.rawValue
            }
            // ArgumentParser's own outcomes: help and --version succeed; anything else is a usage error.
            if WhatsAgent.exitCode(for: error).isSuccess {
                print(WhatsAgent.fullMessage(for: error))
                return 0
            }
            var message = WhatsAgent.message(for: error).split(separator: "\n").joined(separator: " ")
            if message.hasSuffix(".") { message.removeLast() }
            let usage = "\(message); see `\((["whatsagent", "help"] + path.dropFirst()).joined(separator: " "))`"
            Self.report(CLIFailure(code: "usage", message: usage, exit: .usage), json: json)
            return CLIFailure.Exit.usage.rawValue
        }
    }

    /// `whatsagent help [COMMAND…]` is `whatsagent [COMMAND…] --help` (an unknown command word stays a usage error).
    static func helpRewritten(_ arguments: [String]) -> [String] {
        guard arguments.first == "help" else { return arguments }
        return Array(arguments.dropFirst()) + ["--help"]
    }

    /// The command words at the start of `arguments` (e.g. `whatsagent workspace add`), and an error message when a
    /// word where a subcommand belongs names none — ArgumentParser would blame the next option instead.
    static func commandPath(_ arguments: [String]) -> (path: [String], unknown: String?) {
        var children = CommandNode(WhatsAgent.self).children
        var path = ["whatsagent"]
        for argument in arguments {
            guard !argument.hasPrefix("-"), !children.isEmpty else { break }
            guard let next = children.first(where: { $0.name == argument }) else {
                let names = children.map(\.name).joined(separator: ", ")
                let guess = NameSuggestion.closest(to: argument, among: children.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
                return (path, "unknown command '\(argument)' for `\(path.joined(separator: " "))`; \(guess)the commands are \(names)")
            }
            children = next.children
            path.append(argument)
        }
        return (path, nil)
    }

    /// Inside an agent session (`WHATSAGENT_SESSION_TOKEN` set) the CLI is not the human: everything that talks to the
    /// human API is refused. `mcp` (the agent's own server), `runner` and `codex-attach` (a managed session's runner and
    /// Codex launcher, started with the session's environment), help and `--version` stay available.
    static func agentSessionRefusal(path: [String], environment: [String: String]) -> CLIFailure? {
        guard let token = environment["WHATSAGENT_SESSION_TOKEN"], !token.isEmpty, path.count > 1, path[1] != "mcp", path[1] != "runner",
            path[1] != "codex-attach"
        else {
            return nil
        }
        let agent = environment["WHATSAGENT_AGENT"] ?? "an agent"
        return CLIFailure(
            code: "human_only",
            message:
                "this shell belongs to the session of \(agent) (WHATSAGENT_SESSION_TOKEN is set), so `\(path.joined(separator: " "))` is refused: it acts as the human. Run it from your own terminal; agents use their MCP tools",
            exit: .failed
        )
    }

    static func report(_ failure: CLIFailure, json: Bool) {
        let line: String
        if json, let data = try? WireJSON.encoder().encode(APIErrorBody(code: failure.code, message: failure.message)) {
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "error: \(Terminal.safe(failure.message))"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The command tree by name.
struct CommandNode {
    let name: String
    let children: [CommandNode]

    init<Command: ParsableCommand>(_ command: Command.Type) {
        self.name = Command._commandName
        self.children = Command.configuration.subcommands.map { CommandNode(opening: $0) }
    }

    /// Opens the existential metatype through the generic initializer.
    init(opening command: any ParsableCommand.Type) {
        self.init(command)
    }
}
