import NIOSSL
import PostgresNIO
import WhatsAgentCore

/// The driver's settings for a ``PostgresAddress``: its endpoint, TLS mode (`require` encrypts without checking the
/// certificate, `verify-full` checks it against the system's roots or `sslrootcert` and the host name), and the
/// session settings every use case relies on (`synchronous_commit = on`: a send is acknowledged only once it is on
/// the server's disk; timestamps in UTC).
enum PostgresSettings {
    static let startupParameters = [("synchronous_commit", "on"), ("application_name", "whatsagent"), ("TimeZone", "UTC")]

    /// The pool's configuration.
    /// - Throws: `configuration` when `sslrootcert` cannot be read.
    static func pool(_ address: PostgresAddress, connections: Int) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch address.endpoint {
        case .unixSocket:
            configuration = .init(
                unixSocketPath: address.socketPath ?? "",
                username: address.user,
                password: address.password,
                database: address.database
            )
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = try self.tls(address).map { .require($0) } ?? .disable
            configuration = .init(host: host, port: port, username: address.user, password: address.password, database: address.database, tls: tls)
        }
        configuration.options.additionalStartupParameters = self.startupParameters
        configuration.options.maximumConnections = max(2, connections)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The configuration of one connection outside the pool (a probe, a diagnosis).
    static func connection(_ address: PostgresAddress) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch address.endpoint {
        case .unixSocket:
            configuration = .init(
                unixSocketPath: address.socketPath ?? "",
                username: address.user,
                password: address.password,
                database: address.database
            )
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS =
                if let settings = try self.tls(address) { .require(try NIOSSLContext(configuration: settings)) } else { .disable }
            configuration = .init(host: host, port: port, username: address.user, password: address.password, database: address.database, tls: tls)
        }
        configuration.options.additionalStartupParameters = self.startupParameters
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The TLS settings of a TCP address, nil for plain text.
    private static func tls(_ address: PostgresAddress) throws -> TLSConfiguration? {
        switch address.tls {
        case .disable:
            return nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let path = address.rootCertificatePath {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw DomainError(.configuration, "cannot read sslrootcert \(path): \(error); give a PEM file of CA certificates")
                }
            }
            return tls
        }
    }
}
