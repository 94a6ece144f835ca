import ArgumentParser
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

@testable import WhatsAgentCLI

@Suite struct CommandParsingTests {
    @Test func startFlagsBecomeConfigurationFlags() throws {
        let command = try #require(
            try WhatsAgent.parseAsRoot(["start", "--port", "0", "--host", "127.0.0.2", "--rbac-ceiling", "soft", "--home", "/h", "--foreground"])
                as? WhatsAgent.Start
        )

        #expect(command.flags == ConfigurationFlags(host: "127.0.0.2", port: 0, rbacCeiling: .soft))
        #expect(command.foreground)
        #expect(command.global.layout.root == "/h")
    }

    @Test func workspaceSetTakesAColleagueProtocolFileOrDefault() throws {
        let file = try #require(
            try WhatsAgent.parseAsRoot(["workspace", "set", "w", "--colleague-protocol-file", "/tmp/p.md"]) as? WorkspaceCommand.Set
        )
        let reset = try #require(try WhatsAgent.parseAsRoot(["workspace", "set", "w", "--colleague-protocol", "default"]) as? WorkspaceCommand.Set)
        #expect(file.colleagueProtocolFile == "/tmp/p.md" && file.colleagueProtocol == nil)
        #expect(reset.colleagueProtocol == "default" && reset.colleagueProtocolFile == nil)

        let wrong = #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["workspace", "set", "w", "--colleague-protocol", "mine"]) }
        let both = #expect(throws: (any Error).self) {
            try WhatsAgent.parseAsRoot(["workspace", "set", "w", "--colleague-protocol", "default", "--colleague-protocol-file", "/p"])
        }
        #expect(wrong.map { WhatsAgent.message(for: $0).contains("--colleague-protocol-file FILE") } == true)
        #expect(both.map { WhatsAgent.message(for: $0).contains("not both") } == true)
    }

    @Test func workspaceAddParsesEveryOption() throws {
        let command = try #require(
            try WhatsAgent.parseAsRoot([
                "workspace", "add", "alpha", "--topology", "p2p", "--rbac-mode", "off", "--kanban-prefix", "T", "--epic-prefix", "E",
                "--rate-limit", "off", "--loop-guard", "9", "--json",
            ]) as? WorkspaceCommand.Add
        )

        #expect(command.name == "alpha")
        #expect(command.topology == .p2p)
        #expect(command.rbacMode == .off)
        #expect(command.rateLimit == "off")
        #expect(command.global.json)
    }

    @Test func agentArgumentsMayStartWithDashes() throws {
        let command = try #require(
            try WhatsAgent.parseAsRoot([
                "agent", "add", "api:dev", "--arg", "--model", "--arg", "opus", "--role", "engineer", "--role", "reviewer", "--main",
                "--workspace", "w",
            ]) as? AgentCommand.Add
        )

        #expect(command.args == ["--model", "opus"])
        #expect(command.roles == ["engineer", "reviewer"])
        #expect(command.main)
        #expect(command.scope.workspace == "w")
    }

    @Test(arguments: [
        ["workspace", "add", "x", "--topology", "ring"],
        ["agent", "add", "api:dev", "--runtime", "emacs"],
        ["start", "--rbac-ceiling", "strict"],
        ["agent", "set", "api:dev", "--clear-args", "--arg", "x"],
        ["frobnicate"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) async {
        #expect(await CommandLineMain.run(arguments) == 2)
    }

    @Test func limitOptionsAreValidatedLikeTheDaemonDoes() throws {
        #expect(try LimitArgument.parse("off", name: "--rate-limit", range: 1...10) == .off)
        #expect(try LimitArgument.parse("5", name: "--rate-limit", range: 1...10) == .value(5))
        #expect(throws: ValidationError.self) { try LimitArgument.parse("abc", name: "--rate-limit", range: 1...10) }
        #expect(try LimitArgument.retention("forever") == .forever)
        #expect(throws: ValidationError.self) { try LimitArgument.retention("-3") }
    }

    @Test func unknownSubcommandsAreNamed() {
        let (path, unknown) = CommandLineMain.commandPath(["workspace", "frobnicate", "--home", "/h"])

        #expect(path == ["whatsagent", "workspace"])
        #expect(unknown?.contains("'frobnicate'") == true)
        #expect(unknown?.contains("add, list, use") == true)
        #expect(CommandLineMain.commandPath(["agent", "set-main", "api:x"]) == (["whatsagent", "agent", "set-main"], nil))
    }

    @Test func versionAndHelpSucceed() async {
        #expect(await CommandLineMain.run(["--version"]) == 0)
        #expect(await CommandLineMain.run(["workspace", "--help"]) == 0)
    }

    @Test func aMissingDaemonExitsWithThree() async {
        #expect(await CommandLineMain.run(["status", "--home", "/tmp/wa-no-daemon-here"]) == 3)
        #expect(await CommandLineMain.run(["workspace", "list", "--home", "/tmp/wa-no-daemon-here", "--json"]) == 3)
    }

    @Test func errorsMapToTheExitCodesOfTheSpec() {
        #expect(CLIFailure.classify(DomainError(.daemonAlreadyRunning, "x"))?.exit == .daemonAlreadyRunning)
        #expect(CLIFailure.classify(DomainError(.nameTaken, "x"))?.exit == .failed)
        #expect(CLIFailure.classify(ClientError.api(status: 409, code: "daemon_already_running", message: "x"))?.exit == .daemonAlreadyRunning)
        #expect(CLIFailure.classify(ClientError.daemonNotRunning(socket: "/s"))?.exit == .daemonNotRunning)
        #expect(CLIFailure.classify(ValidationError("x")) == nil)
    }

    @Test func terminalOutputDropsEscapeSequences() {
        #expect(Terminal.safe("ok\u{1B}[31mred\u{07}\nnext\tcol") == "ok[31mred\nnext\tcol")
    }
}
