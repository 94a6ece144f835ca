import Foundation
import Logging
import PostgresNIO
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The throwaway PostgreSQL cluster the tests run beside (`scripts/with-postgres.sh`, which `make swift-test` uses):
/// each test gets a database of its own in it. A test that needs PostgreSQL fails — never skips — when the cluster is
/// missing.
enum PostgresTestServer {
    static let logger = Logger(label: "whatsagent.test.postgres")

    /// The cluster's socket folder and the server's binaries.
    static func cluster() throws -> (socketDirectory: String, bin: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let socket = environment["WHATSAGENT_TEST_POSTGRES"], let bin = environment["WHATSAGENT_TEST_POSTGRES_BIN"] else {
            throw DomainError(
                .configuration,
                "the PostgreSQL store's tests need a cluster: run them as `sh scripts/with-postgres.sh swift test …` (make swift-test does)"
            )
        }
        return (socket, bin)
    }

    /// How long a test's use case waits for a connection: long, as a test run keeps both cores busy and the pool's own
    /// task may wait its turn (the daemon's default is 10 seconds).
    static let acquireTimeout = Duration.seconds(60)

    /// Opens the store at `address` as a daemon would.
    static func open(_ address: PostgresAddress) async throws -> PostgresStoreDatabase {
        try await PostgresStoreDatabase.open(address, acquireTimeout: self.acquireTimeout, logger: self.logger)
    }

    /// The address of database `name` in the cluster.
    static func address(database name: String) throws -> PostgresAddress {
        PostgresAddress(endpoint: .unixSocket(directory: try self.cluster().socketDirectory, port: 5432), user: "whatsagent", database: name)
    }

    /// Creates an empty database and returns its address.
    static func freshDatabase() async throws -> PostgresAddress {
        let name = "wa_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = try PostgresStoreDatabase.unmigrated(
            try self.address(database: "postgres"),
            acquireTimeout: self.acquireTimeout,
            logger: self.logger
        )
        defer { admin.close() }
        try await admin.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: self.logger)
        }
        return try self.address(database: name)
    }

    /// A cluster of the test's own (for a test that stops and starts the server while others use the shared one):
    /// initialised and started in a new temporary folder; ``PrivateCluster/remove()`` stops and deletes it.
    static func privateCluster() async throws -> PrivateCluster {
        let bin = try self.cluster().bin
        let folder = "/tmp/wa-pgp-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cluster = PrivateCluster(folder: folder, bin: bin)
        if getuid() == 0 { try await cluster.run("/bin/chown", ["postgres", folder], asOwner: false) }
        try await cluster.run("\(bin)/initdb", ["-A", "trust", "-U", "whatsagent", "-E", "UTF8", "--no-sync", "-D", "\(folder)/data"])
        try await cluster.pgctl("start")
        return cluster
    }
}

/// A PostgreSQL cluster one test owns.
struct PrivateCluster {
    let folder: String
    let bin: String

    func address(database: String = "postgres") -> PostgresAddress {
        PostgresAddress(endpoint: .unixSocket(directory: self.folder, port: 5432), user: "whatsagent", database: database)
    }

    /// `pg_ctl start|stop|restart`, waiting until it is done.
    func pgctl(_ action: String) async throws {
        try await self.run("\(self.bin)/pg_ctl", self.pgctlArguments(action))
    }

    private func pgctlArguments(_ action: String) -> [String] {
        var arguments = ["-D", "\(self.folder)/data", "-l", "\(self.folder)/server.log", "-w", "-s"]
        if action != "start" { arguments += ["-m", "immediate"] }
        arguments += ["-o", "-c listen_addresses='' -c unix_socket_directories=\(self.folder) -c fsync=off", action]
        return arguments
    }

    /// Stops the server and deletes the folder. The removal is tried again when it failed: the server's last files
    /// (its socket's lock file) can vanish while the folder is being walked, which fails that walk and left empty
    /// `/tmp/wa-pgp-*` folders behind.
    func remove() {
        try? Self.spawnAndWait(["\(self.bin)/pg_ctl"] + self.pgctlArguments("stop"), asOwner: true)
        for _ in 0..<3 where FileManager.default.fileExists(atPath: self.folder) {
            try? FileManager.default.removeItem(atPath: self.folder)
        }
    }

    /// Runs `executable` (as the cluster's owner when we are root) and waits for it on a thread of its own, never
    /// a thread of the test run's shared pool (a `pg_ctl` waiting seconds there starves the pools of other tests).
    func run(_ executable: String, _ arguments: [String], asOwner: Bool = true) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.spawnAndWait([executable] + arguments, asOwner: asOwner) })
            }
        }
    }

    /// `posix_spawn` and `waitpid`, as Foundation's `Process` did not notice the exit of `pg_ctl start`, whose child
    /// (the server) lives on.
    private static func spawnAndWait(_ command: [String], asOwner: Bool) throws {
        let executable = command[0]
        let arguments = Array(command.dropFirst())
        let argv = asOwner && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw DomainError(.storage, "cannot run \(argv[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw DomainError(.storage, "\(executable) \(arguments.last ?? "") exited with status \(status)")
        }
    }
}
