import ArgumentParser
import Foundation
import WhatsAgentClient
import WhatsAgentCore

/// `--home` and `--json`, on every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon home (default: $WHATSAGENT_DAEMON_HOME, else ~/.whatsagent).")
    var home: String?

    @Flag(name: .long, help: "Print the API's JSON instead of text; errors go to stderr as JSON.")
    var json = false

    var layout: HomeLayout {
        HomeLayout.resolve(
            flag: self.home,
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath
        )
    }

    var client: DaemonClient { DaemonClient(socketPath: self.layout.socket) }
}

/// `--workspace`, on every workspace-scoped command.
struct WorkspaceOption: ParsableArguments {
    @Option(name: .long, help: "Workspace name or id (default: the current workspace, or the only one).")
    var workspace: String?
}
