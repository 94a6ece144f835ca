import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRuntimes

/// Golden tests of every runtime's command line, environment and generated files (SPEC §6.3,
/// `reference/runtime-integration.md`).
@Suite struct LaunchRecipeTests {
    let fixture: LaunchFixture

    init() throws {
        self.fixture = try LaunchFixture()
    }

    // MARK: Claude

    @Test func claudeGetsTheMCPConfigTheChannelAndThePrompt() throws {
        let request = self.fixture.request(.claude, arguments: ["--model", "opus"])
        let plan = try self.fixture.plan(request)

        #expect(
            plan.argv == [
                self.fixture.path("claude"), "--model", "opus",
                "--mcp-config", LaunchFixture.configPath,
                "--dangerously-load-development-channels", "server:whatsagent",
                "--allowedTools", "mcp__whatsagent",
                "--append-system-prompt", request.prompt.text(for: .claude),
            ]
        )
        #expect(plan.workingDirectory == "/repos/api")
        #expect(plan.push == .mcpNotification)
        #expect(plan.files.isEmpty)
    }

    @Test func claudeEnvironmentIsAdjusted() throws {
        let plan = try self.fixture.plan(self.fixture.request(.claude))

        #expect(plan.environment["MCP_PROTOCOL_NEGOTIATION"] == "legacy")
        #expect(plan.environment["CLAUDE_CODE_CHILD_SESSION"] == nil)
        #expect(plan.environment["HOME"] == "/home/u")
        #expect(plan.environment["WHATSAGENT_SESSION_TOKEN"] == LaunchFixture.token, "the inherited token is replaced")
        #expect(plan.environment["WHATSAGENT_MCP_CONFIG"] == LaunchFixture.configPath)
        for (name, value) in LaunchFixture.session { #expect(plan.environment[name] == value) }
    }

    /// Issue 15, finding 3: a user's own `--allowedTools` are kept and ours are added beside them (merged the way
    /// `--mcp-config` is), so a managed Claude never stops at a permission notice for our tools.
    @Test func claudeAllowsOurToolsBesideTheUsersOwn() throws {
        let arguments = ["--allowed-tools", "Bash(git:*)", "Edit", "--model", "opus"]
        let plan = try self.fixture.plan(self.fixture.request(.claude, arguments: arguments))

        #expect(Array(plan.arguments.prefix(5)) == arguments)
        let ours = try #require(plan.arguments.firstIndex(of: "--allowedTools"))
        #expect(plan.arguments[ours + 1] == "mcp__whatsagent")
        #expect(plan.arguments.filter { $0 == "--allowedTools" }.count == 1)
        #expect(!ClaudeRecipe.allowsOurTools(["--allowedTools", "mcp__whatsagent__whoami"]), "one tool is not the server")
        #expect(ClaudeRecipe.allowsOurTools(["--allowedTools=Edit,mcp__whatsagent"]))
    }

    @Test func claudeFlagsTheUserAlreadyGaveAreNotRepeated() throws {
        let arguments = [
            "--mcp-config", "/mine.json", LaunchFixture.configPath,
            "--dangerously-load-development-channels", "plugin:x@y", "server:whatsagent",
            "--allowedTools", "Bash(git:*),mcp__whatsagent", "Edit",
            "--append-system-prompt", "Be terse.",
            "fix the build",
        ]
        let request = self.fixture.request(.claude, arguments: arguments, persona: nil)
        let plan = try self.fixture.plan(request)

        var expected = arguments
        expected[10] = "Be terse.\n\n" + request.prompt.text(for: .claude)
        #expect(plan.arguments == expected)
        #expect(plan.arguments.filter { $0 == "--append-system-prompt" }.count == 1)
    }

    @Test func claudeWithPushOffHasNoPushStrategy() throws {
        let plan = try self.fixture.plan(self.fixture.request(.claude, push: PushSettings(enabled: false)))
        #expect(plan.push == .none)
        #expect(plan.arguments.contains("server:whatsagent"), "the MCP server still loads: the tools are needed")
    }

    // MARK: Codex

    @Test func codexGetsOverridesWithVariableNamesOnly() throws {
        let request = self.fixture.request(.codex, arguments: ["--full-auto"])
        let plan = try self.fixture.plan(request)

        let names =
            "[\"WHATSAGENT_SOCKET\",\"WHATSAGENT_WORKSPACE_ID\",\"WHATSAGENT_AGENT\",\"WHATSAGENT_SESSION_ID\","
            + "\"WHATSAGENT_SESSION_TOKEN\",\"WHATSAGENT_RUNTIME\",\"WHATSAGENT_MCP_CONFIG\"]"
        #expect(
            plan.argv == [
                self.fixture.path("codex"), "--full-auto",
                "-c", "mcp_servers.whatsagent.command=\"/opt/whatsagent/bin/whatsagent\"",
                "-c", "mcp_servers.whatsagent.args=[\"mcp\"]",
                "-c", "mcp_servers.whatsagent.env_vars=\(names)",
                "-c", "mcp_servers.whatsagent.default_tools_approval_mode=\"approve\"",
                "-c", "developer_instructions=\(TOML.string(request.prompt.text(for: .codex)))",
            ]
        )
        #expect(plan.environment["WHATSAGENT_SESSION_TOKEN"] == LaunchFixture.token, "the value lives in the environment")
        #expect(plan.environment["MCP_PROTOCOL_NEGOTIATION"] == nil)
        #expect(plan.push == .ptyNudge(idle: .seconds(1)))
        #expect(plan.files.isEmpty)
    }

    @Test func codexOverridesTheUserGaveAreKeptAndNotRepeated() throws {
        let arguments = ["-c", "mcp_servers.whatsagent.command=\"/custom/wa\"", "--config=developer_instructions=\"mine\""]
        let plan = try self.fixture.plan(self.fixture.request(.codex, arguments: arguments))

        #expect(Array(plan.arguments.prefix(3)) == arguments)
        #expect(plan.arguments.filter { $0.hasPrefix("mcp_servers.whatsagent.command=") }.count == 1)
        #expect(!plan.arguments.contains { $0.hasPrefix("developer_instructions=") })
        #expect(plan.arguments.contains("mcp_servers.whatsagent.args=[\"mcp\"]"))
    }

    @Test func codexNudgesFollowTheSwitches() throws {
        let quiet = try self.fixture.plan(self.fixture.request(.codex, push: PushSettings(enabled: true, nudgeIdle: nil)))
        let slow = try self.fixture.plan(self.fixture.request(.codex, push: PushSettings(nudgeIdle: .milliseconds(2500))))
        let off = try self.fixture.plan(self.fixture.request(.codex, push: PushSettings(enabled: false)))
        #expect(quiet.push == .none)
        #expect(slow.push == .ptyNudge(idle: .milliseconds(2500)))
        #expect(off.push == .none)
    }

    // MARK: OpenCode

    @Test func openCodeGetsItsConfigInTheEnvironmentAndAGeneratedDirectory() throws {
        let request = self.fixture.request(.opencode, arguments: ["--model", "x/y"])
        let plan = try self.fixture.plan(request)
        let directory = "\(LaunchFixture.runDirectory)/abcd1234.opencode"

        #expect(plan.argv == [self.fixture.path("opencode"), "--model", "x/y"])
        // OpenCode 2.x reads no OPENCODE_CONFIG_DIR; both versions read OPENCODE_CONFIG_CONTENT.
        #expect(plan.environment["OPENCODE_CONFIG_DIR"] == nil)
        #expect(plan.push == .plugin)
        #expect(
            plan.files.map(\.path) == [directory, "\(directory)/whatsagent-instructions.md", "\(directory)/whatsagent-plugin.js"]
        )
        #expect(plan.files.map(\.mode) == [0o700, 0o600, 0o600])
        #expect(plan.files[0].kind == .directory)

        let config = try #require(plan.environment["OPENCODE_CONFIG_CONTENT"])
        #expect(!config.contains("\n"), "one line in the environment")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? NSDictionary)
        let expected: NSDictionary = [
            "$schema": "https://opencode.ai/config.json",
            "instructions": ["\(directory)/whatsagent-instructions.md"],
            "plugin": ["file://\(directory)/whatsagent-plugin.js"],
            "mcp": [
                "whatsagent": [
                    "type": "local",
                    "command": [LaunchFixture.whatsagent, "mcp"],
                    "environment": LaunchFixture.session,
                    "enabled": true,
                ]
            ],
        ]
        #expect(object == expected)
        #expect(plan.file("\(directory)/whatsagent-instructions.md")?.text == request.prompt.text(for: .opencode) + "\n")
        let plugin = try #require(plan.file("\(directory)/whatsagent-plugin.js")?.text)
        #expect(plugin == (try OpenCodePluginSource.render(OpenCodePluginSource.Settings())))
    }

    @Test func openCodeWithPushOffHasNoPlugin() throws {
        let plan = try self.fixture.plan(self.fixture.request(.opencode, push: PushSettings(enabled: false)))
        let directory = "\(LaunchFixture.runDirectory)/abcd1234.opencode"
        #expect(plan.push == .none)
        #expect(plan.files.map(\.path) == [directory, "\(directory)/whatsagent-instructions.md"])
        #expect(plan.environment["OPENCODE_CONFIG_CONTENT"]?.contains("\"plugin\"") == false)
    }

    // MARK: Pi

    @Test func piGetsTheExtensionWithE() throws {
        let request = self.fixture.request(.pi, arguments: ["--thinking", "high"])
        let plan = try self.fixture.plan(request)
        let path = "\(LaunchFixture.runDirectory)/abcd1234.pi-extension.js"

        #expect(plan.argv == [self.fixture.path("pi"), "--thinking", "high", "-e", path])
        #expect(plan.push == .extension)
        #expect(plan.files.map(\.path) == [LaunchFixture.runDirectory, path])
        let settings = PiExtensionSource.Settings(guidance: request.prompt.text(for: .pi), push: true)
        #expect(plan.file(path)?.text == (try PiExtensionSource.render(settings)))
        #expect(plan.file(path)?.mode == 0o600)
    }

    @Test func piWithPushOffStillRegistersTools() throws {
        let plan = try self.fixture.plan(self.fixture.request(.pi, push: PushSettings(enabled: false)))
        let text = try #require(plan.file("\(LaunchFixture.runDirectory)/abcd1234.pi-extension.js")?.text)
        #expect(plan.push == .none)
        #expect(text.contains("\"push\":false"))
        #expect(text.contains("pi.registerTool"))
    }

    // MARK: A workspace's own colleague protocol

    @Test func anEditedColleagueProtocolReachesEveryRuntimesSystemPrompt() throws {
        let edited = "# House rules\nAsk api:main before touching the schema. \"Quotes\" and 'ticks' stay intact."
        func plan(_ runtime: RuntimeKind) throws -> (LaunchRequest, LaunchPlan) {
            var request = self.fixture.request(runtime)
            request.prompt = LaunchPrompt(colleagueProtocol: edited, persona: PersonaValue(description: "Owns the API"))
            return (request, try self.fixture.plan(request))
        }
        #expect(LaunchPrompt(colleagueProtocol: edited).text(for: .claude).hasPrefix(edited))
        #expect(!LaunchPrompt(colleagueProtocol: edited).text(for: .claude).contains(ColleagueProtocol.defaultText))

        let (claudeRequest, claude) = try plan(.claude)
        let prompt = try #require(claude.arguments.last)
        #expect(claude.arguments.suffix(2).first == "--append-system-prompt")
        #expect(prompt == claudeRequest.prompt.text(for: .claude) && prompt.hasPrefix(edited) && prompt.contains("Owns the API"))

        let (codexRequest, codex) = try plan(.codex)
        let developer = try #require(codex.arguments.first { $0.hasPrefix("developer_instructions=") })
        #expect(developer == "developer_instructions=\(TOML.string(codexRequest.prompt.text(for: .codex)))")
        #expect(codexRequest.prompt.text(for: .codex).hasPrefix(edited))
        #expect(developer.contains("# House rules"))

        let (_, openCode) = try plan(.opencode)
        let instructions = try #require(openCode.file("\(LaunchFixture.runDirectory)/abcd1234.opencode/whatsagent-instructions.md")?.text)
        #expect(instructions.hasPrefix(edited))

        let (piRequest, pi) = try plan(.pi)
        let source = try #require(pi.file("\(LaunchFixture.runDirectory)/abcd1234.pi-extension.js")?.text)
        #expect(source == (try PiExtensionSource.render(PiExtensionSource.Settings(guidance: piRequest.prompt.text(for: .pi), push: true))))
        #expect(source.contains("House rules") && source.contains("Ask api:main before touching the schema."))
        #expect(!source.contains("# Working with colleagues (WhatsAgent)"), "the built-in text is replaced, not added to")
    }

    // MARK: Custom

    @Test func customReplacesTheMCPConfigPlaceholder() throws {
        let arguments = ["run", "--mcp", "{mcp_config}", "--config={mcp_config}", "plain"]
        let plan = try self.fixture.plan(self.fixture.request(.custom, command: "my-agent", arguments: arguments))

        #expect(
            plan.argv == [
                self.fixture.path("my-agent"), "run", "--mcp", LaunchFixture.configPath, "--config=\(LaunchFixture.configPath)", "plain",
            ]
        )
        #expect(plan.environment["WHATSAGENT_MCP_CONFIG"] == LaunchFixture.configPath)
        #expect(plan.environment["CLAUDE_CODE_CHILD_SESSION"] == "1", "only Claude launches drop it")
        #expect(plan.push == .ptyNudge(idle: .seconds(1)))
        #expect(plan.files.isEmpty)
    }

    @Test func customCommandsMayBeAbsolutePaths() throws {
        let script = try self.fixture.bin.script("agent.sh", "exit 0")
        let plan = try self.fixture.plan(self.fixture.request(.custom, command: script))
        #expect(plan.executable == script)
    }

    // MARK: Every runtime

    @Test(arguments: RuntimeKind.allCases)
    func theTokenNeverAppearsOnTheCommandLine(runtime: RuntimeKind) throws {
        let plan = try self.fixture.plan(self.fixture.request(runtime, arguments: ["{mcp_config}"]))
        #expect(!plan.argv.contains { $0.contains(LaunchFixture.token) || $0.contains("wa1_") })
        #expect(plan.environment["WHATSAGENT_SESSION_TOKEN"] == LaunchFixture.token)
    }

    @Test(arguments: RuntimeKind.allCases)
    func userArgumentsComeFirstAndAreKept(runtime: RuntimeKind) throws {
        let arguments = ["--first", "value with spaces", "-x"]
        let plan = try self.fixture.plan(self.fixture.request(runtime, arguments: arguments))
        #expect(Array(plan.arguments.prefix(3)) == arguments)
    }

    // MARK: Missing commands

    @Test func aMissingBinaryNamesTheCommandAndTheFix() throws {
        var request = self.fixture.request(.claude)
        request.baseEnvironment["PATH"] = "/nonexistent"
        #expect(throws: RuntimeError.commandNotFound(command: "claude", runtime: .claude)) { try LaunchRecipes.plan(request) }
        #expect(
            RuntimeError.commandNotFound(command: "claude", runtime: .claude).description
                == "claude not found on PATH; install it or run `whatsagent runtime set claude --command /path/to/claude`"
        )
        #expect(
            RuntimeError.commandNotFound(command: "/opt/nope/codex", runtime: .codex).description
                == "/opt/nope/codex does not exist or is not executable; install codex there or run "
                + "`whatsagent runtime set codex --command /path/to/codex`"
        )
    }

    @Test func aCustomRuntimeWithoutACommandIsRefused() throws {
        let request = self.fixture.request(.custom, command: "")
        #expect(throws: RuntimeError.noCommand(runtime: .custom)) { try LaunchRecipes.plan(request) }
        #expect(RuntimeError.noCommand(runtime: .custom).description.contains("whatsagent agent set REPO:NAME --command CMD"))
    }

    @Test func aNonExecutableFileOrADirectoryIsNotACommand() throws {
        let directory = try TemporaryDirectory()
        try "echo".write(toFile: "\(directory.path)/claude", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(directory.path)/codex", withIntermediateDirectories: true)
        let lookup = ExecutableLookup(path: "\(directory.path):\(self.fixture.bin.path)")

        #expect(lookup.resolve("claude") == self.fixture.path("claude"), "the non-executable one earlier on PATH is skipped")
        #expect(lookup.resolve("codex") == self.fixture.path("codex"))
        #expect(lookup.resolve("missing") == nil)
        #expect(ExecutableLookup(path: "", workingDirectory: self.fixture.bin.path).resolve("./pi") == self.fixture.path("pi"))
    }

    // MARK: Writing files

    @Test func writeFilesCreatesOwnerOnlyDirectoriesAndFiles() throws {
        let home = try TemporaryDirectory()
        var request = self.fixture.request(.opencode)
        request.generatedDirectory = "\(home.path)/run"
        let plan = try self.fixture.plan(request)
        try plan.writeFiles()

        for file in plan.files {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == file.mode, "\(file.path)")
            if let text = file.text { #expect(try String(contentsOfFile: file.path, encoding: .utf8) == text) }
        }
        #expect(plan.files.count == 3, "the directory, the instructions and the plugin")
    }
}
