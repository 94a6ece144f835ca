import Foundation
import Testing

@testable import WhatsAgentCore

/// The store URL (SPEC §17): the forms a user writes, and what is refused with what to do instead.
@Suite struct PostgresAddressTests {
    private func parse(_ text: String) throws -> PostgresAddress {
        try PostgresAddress.parse(text, source: "--store", defaultUser: "ana")
    }

    @Test func tcpFormWithDefaultsAndTLS() throws {
        let remote = try self.parse("postgresql://wa@db.internal:6543/team")
        #expect(remote.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect((remote.user, remote.database) == ("wa", "team"))
        #expect(remote.tls == .verifyFull, "a remote server is verified unless the URL says otherwise")

        let local = try self.parse("postgres://localhost/team")
        #expect(local.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(local.user == "ana", "the user defaults to the current one, as psql's does")
        #expect(local.tls == .disable, "loopback needs no TLS by default")

        let required = try self.parse("postgresql://wa@10.0.0.5/team?sslmode=require")
        #expect(required.tls == .require)
        let pinned = try self.parse("postgresql://wa@db/team?sslmode=verify-full&sslrootcert=/etc/wa/ca.pem")
        #expect(pinned.rootCertificatePath == "/etc/wa/ca.pem")
        #expect(try self.parse("postgresql://wa@db").database == "wa", "the database defaults to the user's name")
    }

    @Test func unixSocketForms() throws {
        let query = try self.parse("postgresql://wa@/team?host=/var/run/postgresql")
        #expect(query.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5432))
        #expect(query.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        let encoded = try self.parse("postgresql://wa@%2Ftmp%2Fpg:5433/team")
        #expect(encoded.socketPath == "/tmp/pg/.s.PGSQL.5433")
    }

    @Test func aPasswordInTheURLIsRefusedWithWhereToPutIt() throws {
        let error = try #require(throws: DomainError.self) { try self.parse("postgresql://wa:secret@db/team") }
        #expect(error.code == .configuration)
        #expect(error.message.contains("PGPASSWORD") && error.message.contains("daemon.toml"))
        #expect(!error.message.contains("secret"), "the refusal never repeats the password")
    }

    @Test func badURLsNameWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("mysql://db/team", "postgresql://"),
            ("postgresql://wa@db/team?sslmode=prefer", "sslmode must be one of"),
            ("postgresql://wa@db/team?fsync=off", "unknown parameter 'fsync'"),
            ("postgresql://wa@/team", "name the server"),
            ("postgresql://wa@/team?host=/run/pg&sslmode=require", "TCP only"),
            ("postgresql://wa@db/team?sslrootcert=/ca.pem&sslmode=require", "verify-full"),
            ("postgresql://wa@db:0/team", "port"),
        ]
        for (url, expected) in cases {
            let error = try #require(throws: DomainError.self, "\(url)") { try self.parse(url) }
            #expect(error.message.contains(expected), "\(url): \(error.message)")
            #expect(error.message.hasPrefix("--store: "), "the refusal names where the URL came from")
        }
    }

    @Test func theDescriptionNeverHoldsThePassword() throws {
        var address = try self.parse("postgresql://wa@db.internal/team")
        address.password = "hunter2"
        #expect(!address.description.contains("hunter2"))
        var configuration = DaemonConfiguration()
        configuration.postgres = address
        #expect(!String(reflecting: configuration).contains("hunter2"), "nor does a dump of the configuration")
        #expect(address.description == "postgresql://wa@db.internal:5432/team?sslmode=verify-full")
        #expect(try self.parse(address.description).endpoint == address.endpoint, "the description parses back")
    }

    // MARK: Where the URL and the password come from

    @Test func flagBeatsEnvironmentBeatsFileAndPGPASSWORDBeatsTheFile() throws {
        let home = try TemporaryHome()
        let file = home.layout.configFile
        try "[store]\nurl = \"postgresql://wa@db-file/team\"\npassword = \"from-file\"\npresence_lease_seconds = 9\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)

        let fromFile = try ConfigurationLoader.load(configFile: file, environment: ["USER": "ana"])
        #expect(fromFile.postgres?.endpoint == .tcp(host: "db-file", port: 5432))
        #expect(fromFile.postgres?.password == "from-file")
        #expect(fromFile.presenceLeaseSeconds == 9)

        let environment = ["WHATSAGENT_STORE_URL": "postgresql://wa@db-env/team", "PGPASSWORD": "from-env"]
        let fromEnvironment = try ConfigurationLoader.load(configFile: file, environment: environment)
        #expect(fromEnvironment.postgres?.endpoint == .tcp(host: "db-env", port: 5432))
        #expect(fromEnvironment.postgres?.password == "from-env")

        let fromFlag = try ConfigurationLoader.load(
            configFile: file,
            environment: environment,
            flags: ConfigurationFlags(store: "postgresql://wa@db-flag/team")
        )
        #expect(fromFlag.postgres?.endpoint == .tcp(host: "db-flag", port: 5432))

        let none = try ConfigurationLoader.load(configFile: home.layout.root + "/missing.toml", environment: [:])
        #expect(none.postgres == nil, "SQLite stays the default")
    }

    @Test func aPasswordInAFileOthersCanReadIsRefused() throws {
        let home = try TemporaryHome()
        let file = home.layout.configFile
        try "[store]\nurl = \"postgresql://wa@db/team\"\npassword = \"pw\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let error = try #require(throws: DomainError.self) { try ConfigurationLoader.load(configFile: file, environment: [:]) }
        #expect(error.message.contains("chmod 600"))
        // PGPASSWORD is used instead, so the file's password is never read and the mode does not matter.
        let loaded = try ConfigurationLoader.load(configFile: file, environment: ["PGPASSWORD": "env"])
        #expect(loaded.postgres?.password == "env")
    }
}
