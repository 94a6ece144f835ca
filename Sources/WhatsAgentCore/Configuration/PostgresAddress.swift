import Foundation

/// A PostgreSQL database the daemon's store lives in (SPEC §17), parsed from a libpq-style URL:
///
/// - `postgresql://USER@HOST:PORT/DB` (also `postgres://`); the port defaults to 5432, the user to the current user and
///   the database to the user's name, as `psql` does;
/// - `postgresql://USER@/DB?host=/socket/dir` (or the directory percent-encoded as the host) for a Unix socket:
///   `<dir>/.s.PGSQL.<port>`;
/// - `sslmode=disable|require|verify-full` (TCP only; default `disable` for a loopback host, else `verify-full`) and
///   `sslrootcert=/path/ca.pem` for a private certificate authority.
///
/// A password is never taken from the URL: the daemon re-executes itself with its arguments, so it would stay readable
/// in a long-lived argv. It comes from `PGPASSWORD` or `[store] password` in an owner-only `daemon.toml`.
public struct PostgresAddress: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// How the daemon reaches the server.
    public enum Endpoint: Equatable, Sendable {
        case tcp(host: String, port: Int)
        /// The folder holding the server's socket, and the port its name carries.
        case unixSocket(directory: String, port: Int)
    }

    /// Whether and how a TCP connection is encrypted.
    public enum TLSMode: String, Equatable, Sendable, CaseIterable {
        /// Plain text (a loopback host, or a network you trust).
        case disable
        /// Encrypted, without checking the server's certificate.
        case require
        /// Encrypted, the certificate checked against the trusted roots (or `sslrootcert`) and the host name.
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the certificate authorities to trust instead of the system's (`sslrootcert`).
    public var rootCertificatePath: String?
    /// From `PGPASSWORD` or `daemon.toml`, never from the URL; never printed.
    public var password: String?

    public init(endpoint: Endpoint, user: String, database: String, tls: TLSMode = .disable, rootCertificatePath: String? = nil) {
        (self.endpoint, self.user, self.database, self.tls) = (endpoint, user, database, tls)
        self.rootCertificatePath = rootCertificatePath
    }

    /// The path of the server's socket file, for a Unix socket endpoint.
    public var socketPath: String? {
        guard case .unixSocket(let directory, let port) = self.endpoint else { return nil }
        return "\(directory.hasSuffix("/") ? String(directory.dropLast()) : directory)/.s.PGSQL.\(port)"
    }

    /// The URL form without the password (safe for logs and `whatsagent status`).
    public var description: String {
        let user = Self.encode(self.user)
        let database = Self.encode(self.database)
        switch self.endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            var text = "postgresql://\(user)@\(shown):\(port)/\(database)?sslmode=\(self.tls.rawValue)"
            if let root = self.rootCertificatePath { text += "&sslrootcert=\(Self.encode(root))" }
            return text
        case .unixSocket(let directory, let port):
            return "postgresql://\(user)@:\(port)/\(database)?host=\(Self.encode(directory))"
        }
    }

    /// The same as ``description``: a dump of a configuration never shows the password either.
    public var debugDescription: String { self.description }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "@:?&=#"))) ?? text
    }
}

extension PostgresAddress {
    /// The query parameters a store URL may carry.
    public static let knownParameters = ["host", "port", "sslmode", "sslrootcert", "user", "dbname"]

    /// Parses a store URL given in `source` (`--store`, `WHATSAGENT_STORE_URL`, `[store] url in …`).
    /// - Parameter defaultUser: the user when the URL names none (the current user).
    /// - Throws: `configuration` naming the source and the part that is wrong — a password in the URL among them.
    public static func parse(_ text: String, source: String, defaultUser: String) throws -> PostgresAddress {
        func failure(_ reason: String) -> DomainError {
            DomainError(.configuration, "\(source): \(reason)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw failure("'\(text)' is not a URL; use postgresql://USER@HOST:PORT/DATABASE")
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw failure("the store URL must start with postgresql:// (got '\(scheme)://'); SQLite needs no URL")
        }
        if components.percentEncodedPassword != nil {
            throw failure(
                "a password in the store URL would stay readable in the daemon's command line; remove it and set PGPASSWORD "
                    + "or `password` under [store] in daemon.toml (mode 0600)"
            )
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.knownParameters.contains(item.name) else {
                throw failure("unknown parameter '\(item.name)'; known: \(Self.knownParameters.joined(separator: ", "))")
            }
            guard let value = item.value, !value.isEmpty else { throw failure("parameter '\(item.name)' needs a value") }
            parameters[item.name] = value
        }
        let user = parameters["user"] ?? components.user ?? defaultUser
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = parameters["dbname"] ?? (path.isEmpty ? user : path)
        guard !user.isEmpty, !database.isEmpty, !database.contains("/") else {
            throw failure("name one user and one database: postgresql://USER@HOST:PORT/DATABASE")
        }
        var port = components.port ?? 5432
        if let text = parameters["port"] {
            guard let number = Int(text) else { throw failure("port must be a number (got '\(text)')") }
            port = number
        }
        guard (1...65535).contains(port) else { throw failure("port must be from 1 to 65535 (got \(port))") }
        let host = parameters["host"] ?? components.host ?? ""
        var address: PostgresAddress
        if host.hasPrefix("/") {
            guard parameters["sslmode"] == nil || parameters["sslmode"] == "disable" else {
                throw failure("sslmode applies to TCP only; a Unix socket (host=\(host)) is never encrypted")
            }
            address = PostgresAddress(endpoint: .unixSocket(directory: host, port: port), user: user, database: database)
        } else {
            guard !host.isEmpty else {
                throw failure("name the server: postgresql://USER@HOST:PORT/DATABASE, or ?host=/socket/dir for a Unix socket")
            }
            let loopback = ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
            var mode: TLSMode = loopback ? .disable : .verifyFull
            if let text = parameters["sslmode"] {
                guard let chosen = TLSMode(rawValue: text) else {
                    throw failure(
                        "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')"
                    )
                }
                mode = chosen
            }
            address = PostgresAddress(endpoint: .tcp(host: host, port: port), user: user, database: database, tls: mode)
        }
        if let root = parameters["sslrootcert"] {
            guard address.tls == .verifyFull else { throw failure("sslrootcert needs sslmode=verify-full") }
            address.rootCertificatePath = root
        }
        return address
    }
}
