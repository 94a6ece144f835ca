import ArgumentParser
import Testing

@testable import WhatsAgentCLI

/// Every command spells out its name. Without `commandName`, ArgumentParser derives it with
/// `String(describing: Self)`, whose dynamic casts scan every protocol conformance of the static binary: about
/// 0.1 ms per command and half of the CLI's start-up (`whatsagent mcp` included), since the command path is
/// resolved over the whole tree on every run.
@Suite struct CommandNameTests {
    @Test func everyCommandInTheTreeNamesItself() {
        var unnamed: [String] = []
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) {
            let configuration = command.configuration
            let name = configuration.commandName ?? "<\(command)>"
            if configuration.commandName == nil { unnamed.append((path + [name]).joined(separator: " ")) }
            for subcommand in configuration.subcommands { walk(subcommand, path + [name]) }
        }
        walk(WhatsAgent.self, [])
        #expect(unnamed.isEmpty, "give these a commandName: \(unnamed)")
    }

    @Test func theTreeIsWhatScriptsRelyOn() {
        let paths = Self.paths(WhatsAgent.self, [])
        // A copied configuration must not give two sibling commands the same name.
        #expect(Set(paths).count == paths.count)
        for expected in ["whatsagent mcp", "whatsagent agent set-main", "whatsagent runtime detect", "whatsagent board export"] {
            #expect(paths.contains(expected), "missing \(expected)")
        }
    }

    private static func paths(_ command: any ParsableCommand.Type, _ prefix: [String]) -> [String] {
        let path = prefix + [command._commandName]
        return [path.joined(separator: " ")] + command.configuration.subcommands.flatMap { Self.paths($0, path) }
    }
}
