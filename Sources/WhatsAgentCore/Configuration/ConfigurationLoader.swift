import Foundation
import TOMLKit

/// Builds a ``DaemonConfiguration`` from defaults, `daemon.toml`, the environment and flags, in that order.
///
/// Unknown keys and bad values are errors that name the key and the file (or variable), so a typo never silently
/// falls back to a default.
public enum ConfigurationLoader {
    /// Every key `daemon.toml` accepts, by section.
    public static let knownKeys: [String: Set<String>] = [
        "ui": [
            "host", "port", "allow_hosts", "max_request_bytes", "web_dir", "header_timeout_seconds", "idle_timeout_seconds", "max_connections",
        ],
        "rbac": ["ceiling"],
        "runner": ["buffer_bytes"],
        "push": ["confirm_seconds"],
        "retention": ["chat_days", "trash_days", "audit_days", "audit_max_entries", "prune_every_seconds"],
        "logs": ["max_file_bytes", "keep_files"],
        "store": ["url", "password", "presence_lease_seconds", "catch_up_scan_seconds"],
    ]

    /// Loads the configuration of `home`.
    /// - Parameters:
    ///   - configFile: path of `daemon.toml`; a missing file means defaults.
    ///   - environment: the process environment (only `WHATSAGENT_*` keys are read).
    ///   - flags: command-line overrides.
    public static func load(
        configFile: String,
        environment: [String: String],
        flags: ConfigurationFlags = ConfigurationFlags()
    ) throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        var store = StoreSettings()
        if FileManager.default.fileExists(atPath: configFile) {
            let text: String
            do {
                text = try String(contentsOfFile: configFile, encoding: .utf8)
            } catch {
                throw DomainError(.configuration, "cannot read \(configFile): \(error.localizedDescription)")
            }
            try self.apply(toml: text, file: configFile, to: &configuration, store: &store)
        }
        try self.apply(environment: environment, to: &configuration)
        if let url = environment["WHATSAGENT_STORE_URL"], !url.isEmpty {
            store.url = (url, "environment variable WHATSAGENT_STORE_URL")
        }
        if let url = flags.store { store.url = (url, "--store") }
        configuration.postgres = try store.address(configFile: configFile, environment: environment)
        if let host = flags.host { configuration.host = host }
        if let port = flags.port {
            guard (0...65535).contains(port) else {
                throw DomainError(.configuration, "--port must be from 0 to 65535 (got \(port))")
            }
            configuration.port = port
        }
        if let ceiling = flags.rbacCeiling { configuration.rbacCeiling = ceiling }
        return configuration
    }

    // MARK: - daemon.toml

    static func apply(
        toml text: String,
        file: String,
        to configuration: inout DaemonConfiguration,
        store: inout StoreSettings
    ) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw DomainError(
                .configuration,
                "\(file) is not valid TOML at line \(error.source.begin.line): \(error.description)"
            )
        }
        for section in table.keys.sorted() {
            guard let known = self.knownKeys[section] else {
                throw DomainError(
                    .configuration,
                    "unknown section [\(section)] in \(file); known sections: \(self.knownKeys.keys.sorted().joined(separator: ", "))"
                )
            }
            guard let values = table[section]?.table else {
                throw DomainError(.configuration, "'\(section)' in \(file) must be a table ([\(section)])")
            }
            for key in values.keys.sorted() {
                guard known.contains(key) else {
                    throw DomainError(
                        .configuration,
                        "unknown key '\(section).\(key)' in \(file); known keys in [\(section)]: \(known.sorted().joined(separator: ", "))"
                    )
                }
                guard let value = values[key] else { continue }
                let reader = Reader(name: "'\(section).\(key)' in \(file)")
                switch (section, key) {
                case ("store", "url"): store.url = (try reader.string(value), reader.name)
                case ("store", "password"): store.password = try reader.string(value)
                default: try self.apply(section: section, key: key, value: value, reader: reader, to: &configuration)
                }
            }
        }
    }

    private static func apply(
        section: String,
        key: String,
        value: any TOMLValueConvertible,
        reader: Reader,
        to configuration: inout DaemonConfiguration
    ) throws {
        switch (section, key) {
        case ("ui", "host"): configuration.host = try reader.string(value)
        case ("ui", "port"): configuration.port = try reader.int(value, in: 0...65535)
        case ("ui", "allow_hosts"): configuration.allowHosts = try reader.strings(value)
        case ("ui", "max_request_bytes"): configuration.maxRequestBytes = try reader.int(value, in: 1024...(64 << 20))
        case ("ui", "web_dir"): configuration.webDirectory = try reader.string(value)
        case ("ui", "header_timeout_seconds"): configuration.headerTimeoutSeconds = try reader.int(value, in: 1...3600)
        case ("ui", "idle_timeout_seconds"): configuration.idleTimeoutSeconds = try reader.int(value, in: 1...86_400)
        case ("ui", "max_connections"): configuration.maxConnections = try reader.int(value, in: 1...1_000_000)
        case ("rbac", "ceiling"): configuration.rbacCeiling = try reader.choice(value, RBACMode.self)
        case ("runner", "buffer_bytes"): configuration.runnerBufferBytes = try reader.int(value, in: 4096...(256 << 20))
        case ("push", "confirm_seconds"): configuration.pushConfirmSeconds = try reader.int(value, in: 1...86_400)
        case ("retention", "chat_days"): configuration.chatRetention = try reader.retention(value)
        case ("retention", "trash_days"): configuration.trashDays = try reader.int(value, in: 0...3650)
        case ("retention", "audit_days"): configuration.auditDays = try reader.int(value, in: 1...3650)
        case ("retention", "audit_max_entries"): configuration.auditMaxEntries = try reader.int(value, in: 1000...1_000_000_000)
        case ("retention", "prune_every_seconds"): configuration.pruneEverySeconds = try reader.int(value, in: 1...86_400)
        case ("logs", "max_file_bytes"): configuration.logMaxFileBytes = try reader.int(value, in: (64 << 10)...(1 << 30))
        case ("logs", "keep_files"): configuration.logKeepFiles = try reader.int(value, in: 1...100)
        case ("store", "presence_lease_seconds"): configuration.presenceLeaseSeconds = try reader.int(value, in: 3...3600)
        case ("store", "catch_up_scan_seconds"): configuration.catchUpScanSeconds = try reader.int(value, in: 1...3600)
        default: break
        }
    }

    // MARK: - Environment

    static func apply(environment: [String: String], to configuration: inout DaemonConfiguration) throws {
        func read(_ name: String, _ body: (Reader, String) throws -> Void) throws {
            guard let value = environment[name] else { return }
            try body(Reader(name: "environment variable \(name)"), value)
        }
        try read("WHATSAGENT_HOST") { _, value in configuration.host = value }
        try read("WHATSAGENT_PORT") { reader, value in configuration.port = try reader.int(text: value, in: 0...65535) }
        try read("WHATSAGENT_HOST_ALLOW") { _, value in
            configuration.allowHosts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        try read("WHATSAGENT_HOST_CHECK") { reader, value in
            configuration.hostCheck = try reader.choice(text: value, DaemonConfiguration.HostCheck.self)
        }
        try read("WHATSAGENT_MAX_REQUEST_BYTES") { reader, value in
            configuration.maxRequestBytes = try reader.int(text: value, in: 1024...(64 << 20))
        }
        try read("WHATSAGENT_RUNNER_BUFFER") { reader, value in
            configuration.runnerBufferBytes = try reader.int(text: value, in: 4096...(256 << 20))
        }
        try read("WHATSAGENT_PUSH_CONFIRM_SECONDS") { reader, value in
            configuration.pushConfirmSeconds = try reader.int(text: value, in: 1...86_400)
        }
        try read("WHATSAGENT_WEB_DIR") { _, value in configuration.webDirectory = value }
    }
}

/// The `[store]` settings as they are read, resolved once every source was applied.
struct StoreSettings {
    /// The URL and where it came from.
    var url: (text: String, source: String)?
    var password: String?

    /// The PostgreSQL database named, with its password (`PGPASSWORD` first, then `daemon.toml`'s, which is refused
    /// unless only the owner can read the file); nil when no URL is set (SQLite).
    func address(configFile: String, environment: [String: String]) throws -> PostgresAddress? {
        guard let url else {
            if self.password != nil {
                throw DomainError(.configuration, "'store.password' in \(configFile) has no 'store.url' to go with; add the URL or remove it")
            }
            return nil
        }
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "postgres"
        var address = try PostgresAddress.parse(url.text, source: url.source, defaultUser: user)
        if let password = environment["PGPASSWORD"], !password.isEmpty {
            address.password = password
        } else if let password = self.password {
            let mode = ((try? FileManager.default.attributesOfItem(atPath: configFile))?[.posixPermissions] as? Int) ?? 0o777
            guard mode & 0o077 == 0 else {
                throw DomainError(
                    .configuration,
                    "\(configFile) holds the store's password but others can read it; run `chmod 600 \(configFile)`"
                )
            }
            address.password = password
        }
        return address
    }
}

/// Reads typed values and produces errors that name where the value came from.
private struct Reader {
    let name: String

    func failure(_ expectation: String) -> DomainError {
        DomainError(.configuration, "\(self.name) must be \(expectation)")
    }

    func string(_ value: any TOMLValueConvertible) throws -> String {
        guard let string = value.string else { throw self.failure("a string") }
        return string
    }

    func strings(_ value: any TOMLValueConvertible) throws -> [String] {
        guard let array = value.array else { throw self.failure("an array of strings") }
        return try array.map { element in
            guard let string = element.string else { throw self.failure("an array of strings") }
            return string
        }
    }

    func int(_ value: any TOMLValueConvertible, in range: ClosedRange<Int>) throws -> Int {
        guard let number = value.int, range.contains(number) else {
            throw self.failure("an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func int(text: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw self.failure("an integer from \(range.lowerBound) to \(range.upperBound) (got '\(text)')")
        }
        return number
    }

    func choice<T: RawRepresentable & CaseIterable>(_ value: any TOMLValueConvertible, _ type: T.Type) throws -> T
    where T.RawValue == String {
        guard let text = value.string else { throw self.failure("one of \(self.options(type))") }
        return try self.choice(text: text, type)
    }

    func choice<T: RawRepresentable & CaseIterable>(text: String, _ type: T.Type) throws -> T where T.RawValue == String {
        guard let choice = T(rawValue: text) else {
            throw self.failure("one of \(self.options(type)) (got '\(text)')")
        }
        return choice
    }

    func retention(_ value: any TOMLValueConvertible) throws -> Retention {
        if let days = value.int, Retention.allowedDays.contains(days) { return .days(days) }
        if value.string == "forever" { return .forever }
        throw self.failure("a number of days from 1 to 3650, or \"forever\"")
    }

    private func options<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
