import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

@Suite struct ConfigurationTests {
    /// A home whose `daemon.toml` holds `toml`; keep the home alive while its file is used.
    func write(_ toml: String) throws -> TemporaryHome {
        let home = try TemporaryHome()
        try toml.write(toFile: home.layout.configFile, atomically: true, encoding: .utf8)
        return home
    }

    @Test func defaultsWithoutAFile() throws {
        let configuration = try ConfigurationLoader.load(configFile: "/nonexistent/daemon.toml", environment: [:])

        #expect(configuration == DaemonConfiguration())
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 4017)
        #expect(configuration.maxRequestBytes == 262_144)
        #expect(configuration.runnerBufferBytes == 1_048_576)
        #expect(configuration.auditMaxEntries == 1_000_000)
        #expect(configuration.pruneEverySeconds == 3600)
        #expect(configuration.logMaxFileBytes == 10 << 20)
        #expect(configuration.logKeepFiles == 5)
        #expect(configuration.headerTimeoutSeconds == 10)
        #expect(configuration.idleTimeoutSeconds == 60)
        #expect(configuration.maxConnections == 512)
        #expect(configuration.pushConfirmSeconds == 60)
    }

    @Test func thePushConfirmationTimeComesFromTheFileOrTheEnvironment() throws {
        let home = try self.write("[push]\nconfirm_seconds = 5\n")

        let fromFile = try ConfigurationLoader.load(configFile: home.layout.configFile, environment: [:])
        let fromEnvironment = try ConfigurationLoader.load(
            configFile: home.layout.configFile,
            environment: ["WHATSAGENT_PUSH_CONFIRM_SECONDS": "2"]
        )

        #expect(fromFile.pushConfirmSeconds == 5)
        #expect(fromEnvironment.pushConfirmSeconds == 2)
    }

    @Test func fileValuesAreRead() throws {
        let home = try self.write(
            """
            [ui]
            host = "127.0.0.2"
            port = 5000
            allow_hosts = ["proxy.lan", "https://proxy.lan"]
            max_request_bytes = 65536
            web_dir = "/srv/web"
            header_timeout_seconds = 3
            idle_timeout_seconds = 7
            max_connections = 20
            [rbac]
            ceiling = "soft"
            [runner]
            buffer_bytes = 8192
            [retention]
            chat_days = "forever"
            trash_days = 0
            audit_days = 10
            audit_max_entries = 5000
            prune_every_seconds = 60
            [logs]
            max_file_bytes = 65536
            keep_files = 2
            """
        )

        let configuration = try ConfigurationLoader.load(configFile: home.layout.configFile, environment: [:])

        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.port == 5000)
        #expect(configuration.allowHosts == ["proxy.lan", "https://proxy.lan"])
        #expect(configuration.maxRequestBytes == 65536)
        #expect(configuration.webDirectory == "/srv/web")
        #expect(configuration.headerTimeoutSeconds == 3)
        #expect(configuration.idleTimeoutSeconds == 7)
        #expect(configuration.maxConnections == 20)
        #expect(configuration.rbacCeiling == .soft)
        #expect(configuration.runnerBufferBytes == 8192)
        #expect(configuration.chatRetention == .forever)
        #expect(configuration.trashDays == 0)
        #expect(configuration.auditDays == 10)
        #expect(configuration.auditMaxEntries == 5000)
        #expect(configuration.pruneEverySeconds == 60)
        #expect(configuration.logMaxFileBytes == 65536)
        #expect(configuration.logKeepFiles == 2)
    }

    @Test func precedenceIsFileThenEnvironmentThenFlags() throws {
        let home = try self.write("[ui]\nport = 5000\nhost = \"127.0.0.2\"\n")

        let fromEnvironment = try ConfigurationLoader.load(
            configFile: home.layout.configFile,
            environment: ["WHATSAGENT_PORT": "6000", "WHATSAGENT_HOST_ALLOW": "a.lan, b.lan", "WHATSAGENT_HOST_CHECK": "warn"]
        )
        let fromFlags = try ConfigurationLoader.load(
            configFile: home.layout.configFile,
            environment: ["WHATSAGENT_PORT": "6000"],
            flags: ConfigurationFlags(port: 0, rbacCeiling: .off)
        )

        #expect(fromEnvironment.port == 6000)
        #expect(fromEnvironment.host == "127.0.0.2")
        #expect(fromEnvironment.allowHosts == ["a.lan", "b.lan"])
        #expect(fromEnvironment.hostCheck == .warn)
        #expect(fromFlags.port == 0)
        #expect(fromFlags.rbacCeiling == .off)
    }

    @Test(arguments: [
        ("[ui]\nbogus = 1\n", "ui.bogus"),
        ("[nope]\nx = 1\n", "[nope]"),
        ("[ui]\nport = \"x\"\n", "ui.port"),
        ("[ui]\nport = 70000\n", "ui.port"),
        ("[ui]\nheader_timeout_seconds = 0\n", "ui.header_timeout_seconds"),
        ("[ui]\nidle_timeout_seconds = \"1m\"\n", "ui.idle_timeout_seconds"),
        ("[ui]\nmax_connections = 0\n", "ui.max_connections"),
        ("[rbac]\nceiling = \"strict\"\n", "rbac.ceiling"),
        ("[retention]\nchat_days = 0\n", "retention.chat_days"),
        ("[retention]\naudit_max_entries = 10\n", "retention.audit_max_entries"),
        ("[retention]\nprune_every_seconds = 0\n", "retention.prune_every_seconds"),
        ("[logs]\nmax_file_bytes = 100\n", "logs.max_file_bytes"),
        ("[logs]\nkeep_files = 0\n", "logs.keep_files"),
        ("[push]\nconfirm_seconds = 0\n", "push.confirm_seconds"),
        ("[ui\nport = 1\n", "not valid TOML"),
    ])
    func badFilesNameTheKeyAndTheFile(toml: String, expected: String) throws {
        let home = try self.write(toml)

        let file = home.layout.configFile

        let error = #expect(throws: DomainError.self) { try ConfigurationLoader.load(configFile: file, environment: [:]) }

        #expect(error?.code == .configuration)
        #expect(error?.message.contains(expected) == true)
        #expect(error?.message.contains(file) == true)
    }

    @Test(arguments: [
        ("WHATSAGENT_PORT", "abc"), ("WHATSAGENT_HOST_CHECK", "maybe"), ("WHATSAGENT_MAX_REQUEST_BYTES", "-1"),
        ("WHATSAGENT_RUNNER_BUFFER", "1"), ("WHATSAGENT_PUSH_CONFIRM_SECONDS", "soon"),
    ])
    func badEnvironmentValuesNameTheVariable(name: String, value: String) {
        let error = #expect(throws: DomainError.self) {
            try ConfigurationLoader.load(configFile: "/nonexistent/daemon.toml", environment: [name: value])
        }

        #expect(error?.message.contains(name) == true)
    }
}
