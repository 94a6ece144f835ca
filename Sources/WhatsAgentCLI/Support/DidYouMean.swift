import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

/// Friendlier refusals for the human: "did you mean" for a misspelled agent, repo or workspace, and fix hints that
/// keep the `--home` and `--workspace` the command was given.
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

    /// `whatsagent …` commands quoted in `message` get the `--home DIR` and the `--workspace NAME` of `arguments`, so
    /// the hint runs against the same daemon and workspace when pasted. The workspace is kept only on commands that
    /// take `--workspace` and do not name one already, and never when it is the name the daemon did not know.
    static func keepingOptions(_ message: String, arguments: [String], failureCode: String? = nil) -> String {
        let home = self.value(of: "--home", in: arguments)
        let workspace = failureCode == DomainError.Code.workspaceNotFound.rawValue ? nil : self.value(of: "--workspace", in: arguments)
        guard home != nil || workspace != nil else { return message }
        var result = ""
        var rest = Substring(message)
        while let start = rest.range(of: "`whatsagent ") {
            guard let end = rest[start.upperBound...].firstIndex(of: "`") else { break }
            let words = rest[start.upperBound..<end].split(separator: " ").map(String.init)
            var added = ""
            if let workspace, !words.contains(where: { $0 == "--workspace" || $0.hasPrefix("--workspace=") }),
                self.takesWorkspace(words)
            {
                added += " --workspace " + self.quoted(workspace)
            }
            if let home, !words.contains(where: { $0 == "--home" || $0.hasPrefix("--home=") }) {
                added += " --home " + self.quoted(home)
            }
            result += rest[..<end] + added + "`"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// Whether the command `words` (after `whatsagent`) accepts `--workspace`: asked of the command tree itself, so a
    /// hint never gains an option its command would refuse.
    static func takesWorkspace(_ words: [String]) -> Bool {
        guard let first = words.first, first != "help", !first.hasPrefix("-") else { return false }
        do {
            _ = try WhatsAgent.parseAsRoot(words + ["--workspace", "w"])
            return true
        } catch {
            return !WhatsAgent.message(for: error).contains("--workspace")
        }
    }

    /// `text` as one shell word.
    private static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" }) ? "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" : text
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
