import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

/// Friendlier refusals for the human: "did you mean" for a misspelled agent, repo or workspace, and fix hints that
/// keep the `--home` the command was given.
enum DidYouMean {
    /// The closest existing name when `failure` says an agent, repo or workspace does not exist (asked of the daemon
    /// the command used), or nil.
    static func hint(for failure: CLIFailure, arguments: [String]) async -> String? {
        guard let name = self.quotedName(in: failure.message) else { return nil }
        let layout = HomeLayout.resolve(
            flag: self.value(of: "--home", in: arguments),
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath
        )
        let client = DaemonClient(socketPath: layout.socket)
        let workspace = self.value(of: "--workspace", in: arguments)
        let candidates: [String]
        switch failure.code {
        case DomainError.Code.agentNotFound.rawValue:
            candidates = (try? await client.agents(workspace: workspace).agents.map(\.address)) ?? []
        case DomainError.Code.repoNotFound.rawValue:
            candidates = (try? await client.repos(workspace: workspace).repos.map(\.name)) ?? []
        case DomainError.Code.workspaceNotFound.rawValue:
            candidates = (try? await client.workspaces().workspaces.filter { $0.status == "active" }.map(\.name)) ?? []
        default:
            return nil
        }
        return NameSuggestion.closest(to: name, among: candidates)
    }

    /// `whatsagent …` commands quoted in `message` get the `--home DIR` of `arguments`, so the hint runs against the
    /// same daemon when pasted.
    static func keepingHome(_ message: String, arguments: [String]) -> String {
        guard let home = self.value(of: "--home", in: arguments) else { return message }
        let flag = " --home " + (home.contains(" ") ? "'\(home)'" : home)
        var result = ""
        var rest = Substring(message)
        while let start = rest.range(of: "`whatsagent ") {
            guard let end = rest[start.upperBound...].firstIndex(of: "`") else { break }
            result += rest[..<end] + flag + "`"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The first 'single-quoted' text of `message`.
    static func quotedName(in message: String) -> String? {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// The value after `option` (`--home DIR` or `--home=DIR`) in `arguments`.
    static func value(of option: String, in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == option, index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
        }
        return nil
    }
}
