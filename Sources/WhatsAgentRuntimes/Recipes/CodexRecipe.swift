import Foundation
import WhatsAgentAPI

/// Codex: `-c mcp_servers.whatsagent.{command,args,env_vars}` overrides (variable names only: the values stay in the
/// process environment) and the prompt as `-c developer_instructions=…`. Codex shows MCP tools but no server
/// notifications, so pushes are PTY nudges — or, for a launch with ``LaunchRequest/codexAppServer``, turns started
/// through Codex's app-server (``attachToAppServer(_:_:)``).
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

    /// Wraps a resolved plain-Codex plan in `whatsagent codex-attach <stem>.codex.json`: the app-server gets our
    /// overrides, the user's own `-c` overrides and `developer_instructions` on `<run>/<stem>.codex.sock`; the TUI gets
    /// `--remote unix://…` and the user's arguments; the plain plan's arguments stay as the fallback.
    static func attachToAppServer(_ request: LaunchRequest, _ plan: inout LaunchPlan) throws {
        // A user who attaches Codex elsewhere already, or runs a subcommand, keeps plain codex.
        if request.arguments.contains(where: { $0 == "--remote" || $0.hasPrefix("--remote=") }) { return }
        if let first = request.arguments.first, !first.hasPrefix("-") { return }
        let stem = "\(request.generatedDirectory)/\(request.fileStem).codex"
        let socket = "\(stem).sock"
        let injected = Array(plan.arguments.dropFirst(request.arguments.count))
        let attach = CodexAttachPlan(
            codex: plan.executable,
            socket: socket,
            status: "\(stem).status.json",
            log: "\(stem).log",
            appServerArguments: ["app-server", "--listen", "unix://\(socket)"] + self.userOverrides(request.arguments) + injected,
            remoteArguments: ["--remote", "unix://\(socket)"] + request.arguments,
            fallbackArguments: plan.arguments
        )
        let path = "\(stem).json"
        plan.files.append(.file(path, try attach.encoded()))
        plan.executable = request.whatsagentExecutable
        plan.arguments = ["codex-attach", path]
        if case .ptyNudge(let idle) = plan.push {
            plan.push = .appServer(socket: socket, status: attach.status, fallbackIdle: idle)
        } else if request.push.enabled {
            // Typed nudges off: app-server pushes still go (they type nothing); the fallback only flags them.
            plan.push = .appServer(socket: socket, status: attach.status, fallbackIdle: .seconds(1))
        }
    }

    /// The user's `-c key=value` / `--config key=value` / `--config=key=value` overrides, as `-c` pairs.
    static func userOverrides(_ arguments: [String]) -> [String] {
        self.configFlags.flatMap { ArgumentList.values(of: $0, in: arguments) }.flatMap { ["-c", $0] }
    }
}
