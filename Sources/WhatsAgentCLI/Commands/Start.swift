import ArgumentParser
import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentServer

extension WhatsAgent {
    /// `whatsagent start`: runs the daemon, detached unless `--foreground`.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start the daemon and print its URL.",
            discussion: "Without --foreground it detaches and returns once the daemon listens."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "TCP port of the web side (0 picks a free port; default 4017).")
        var port: Int?

        @Option(help: "Address of the web side (default 127.0.0.1).")
        var host: String?

        @Flag(help: "Run in this process instead of detaching.")
        var foreground = false

        @Option(name: .customLong("rbac-ceiling"), help: "Loosest RBAC mode any workspace may run under: enforce, soft or off.")
        var rbacCeiling: RBACModeValue?

        @Option(
            help: ArgumentHelp(
                "A PostgreSQL database several daemons share: postgresql://USER@HOST:PORT/DATABASE (no password: PGPASSWORD).",
                valueName: "url"
            )
        )
        var store: String?

        var flags: ConfigurationFlags {
            ConfigurationFlags(
                host: self.host,
                port: self.port,
                rbacCeiling: self.rbacCeiling,
                store: self.store
            )
        }

        func run() async throws {
            let home = self.global.layout
            let ready = DaemonLauncher.takeReadyDescriptor()
            do {
                let configuration = try ConfigurationLoader.load(
                    configFile: home.configFile,
                    environment: ProcessInfo.processInfo.environment,
                    flags: self.flags
                )
                try home.validateSocketPaths()
                if let postgres = configuration.postgres {
                    throw DomainError(
                        .configuration,
                        "this whatsagent cannot keep workspaces in PostgreSQL yet (\(postgres)): its connection, schema and "
                            + "change feed are built, its use cases are not; remove --store, WHATSAGENT_STORE_URL or [store] url "
                            + "to use SQLite in \(home.root)"
                    )
                }
                if self.foreground {
                    try await self.runForeground(home: home, configuration: configuration, ready: ready)
                } else {
                    try await self.runDetached(home: home)
                }
            } catch {
                if let failure = CLIFailure.classify(error) {
                    DaemonLauncher.reportReady(.init(error: .init(code: failure.code, message: failure.message)), to: ready)
                }
                throw error
            }
        }

        private func runDetached(home: HomeLayout) async throws {
            if PIDFileLock.isHeld(path: home.pidFile) {
                _ = try PIDFileLock.acquire(path: home.pidFile)  // throws the "already running" error with details
            }
            try home.prepare()
            var arguments = ["start", "--foreground", "--home", home.root]
            if let port = self.port { arguments += ["--port", String(port)] }
            if let host = self.host { arguments += ["--host", host] }
            if let ceiling = self.rbacCeiling { arguments += ["--rbac-ceiling", ceiling.rawValue] }
            if let store = self.store { arguments += ["--store", store] }
            let info = try await DaemonLauncher.startDetached(arguments: arguments, home: home)
            try self.print(info)
        }

        private func runForeground(home: HomeLayout, configuration: DaemonConfiguration, ready: Int32?) async throws {
            try home.prepare()
            let file = LogFile(path: home.logFile, maxBytes: configuration.logMaxFileBytes, keep: configuration.logKeepFiles)
            let level = ProcessInfo.processInfo.environment["WHATSAGENT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, file: file, level: level) }
            let logger = Logger(label: "whatsagent.daemon")
            let daemon = Daemon(
                home: home,
                configuration: configuration,
                version: WhatsAgentVersion.current,
                executablePath: DaemonLauncher.executablePath(),
                logger: logger
            )
            let json = self.global.json
            try await daemon.run { info in
                logger.info("daemon ready", metadata: ["url": "\(info.url)", "socket": "\(info.socket)"])
                try? Self.print(info, json: json)
                DaemonLauncher.reportReady(.init(info: info), to: ready)
            }
        }

        private func print(_ info: DaemonInfo) throws {
            try Self.print(info, json: self.global.json)
        }

        private static func print(_ info: DaemonInfo, json: Bool) throws {
            if json {
                try Output.json(info)
            } else {
                Swift.print(info.url)
                if let setupURL = info.setupURL {
                    Swift.print("no web password is set yet; open this one-time link to choose one:\n\(setupURL)")
                }
            }
            fflush(nil)  // stdout may be a pipe (fully buffered); the URL must reach the reader now
        }
    }
}

extension RBACModeValue: ExpressibleByArgument {}
extension TopologyValue: ExpressibleByArgument {}
extension RuntimeValue: ExpressibleByArgument {}
