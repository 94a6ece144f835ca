import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent runtime …`: the daemon-wide launch commands of the runtimes (SPEC §4, §6.3).
struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Show, set and detect the commands the runtimes are launched with.",
        discussion: """
            Runtimes: claude, codex, opencode, pi, custom. An agent's own --command wins over the runtime's; the runtime's \
            --arg values come before the agent's. Detection runs `<command> --version` on the daemon (3 s timeout).
            """,
        subcommands: [List.self, Set.self, Detect.self]
    )

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case claude
        case codex
        case opencode
        case pi
        case custom
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List each runtime's command and extra arguments.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let list = try await self.global.client.runtimes()
            if self.global.json { return try Output.json(list) }
            Output.table(
                ["RUNTIME", "COMMAND", "ARGS", "SOURCE"],
                list.runtimes.map { runtime in
                    [
                        runtime.runtime, runtime.command ?? "(none)", runtime.args.map(ConnectConfig.shellQuoteIfNeeded).joined(separator: " "),
                        runtime.isDefault ? "default" : "set",
                    ]
                }
            )
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a runtime's command and extra arguments (replacing them).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "claude, codex, opencode, pi or custom.") var runtime: Name
        @Option(help: "Program name (looked up on PATH) or path.") var command: String
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue, help: "Extra argument (repeatable; replaces the list).")
        var args: [String] = []

        func run() async throws {
            let setting = try await self.global.client.setRuntime(self.runtime.rawValue, SetRuntimeRequest(command: self.command, args: self.args))
            if self.global.json { return try Output.json(setting) }
            let arguments = setting.args.isEmpty ? "" : " " + setting.args.map(ConnectConfig.shellQuoteIfNeeded).joined(separator: " ")
            print("\(setting.runtime) runs \(setting.command ?? "")\(arguments); check it with `whatsagent runtime detect`")
        }
    }

    struct Detect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "detect",
            abstract: "Run each runtime's command with --version and show the result."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let list = try await self.global.client.detectRuntimes()
            if self.global.json { return try Output.json(list) }
            Output.table(
                ["RUNTIME", "STATUS", "PATH", "VERSION OR REASON"],
                list.runtimes.map { [$0.runtime, $0.status, $0.path ?? "-", $0.message] }
            )
        }
    }
}
