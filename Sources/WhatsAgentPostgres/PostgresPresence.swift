import Foundation
import Logging
import PostgresNIO
import WhatsAgentCore

/// A daemon's presence on a shared store (issue 22): a row in `daemon` whose lease it renews every third of
/// `lease`. A daemon that dies stops renewing; once its lease expires every other daemon shows it — and the sessions
/// it ran — offline, and their mail waits. Leases are judged by the database's clock (`now()`), never a host's, so
/// hosts whose clocks drift still agree.
package final class PostgresPresence: @unchecked Sendable {
    /// A daemon as the store knows it.
    package struct Daemon: Equatable, Sendable {
        package var id: String
        package var host: String
        /// Where its web UI is reached from other hosts (`[ui] public_url`), for links to its terminals.
        package var publicURL: String?
        package var startedAt: Date
        package var leaseUntil: Date
        /// Its lease had not expired when the row was read.
        package var online: Bool
    }

    package let id: String
    private let database: PostgresStoreDatabase
    private let host: String
    private let publicURL: String?
    private let lease: Duration
    private let lock = NSLock()
    private var renewal: Task<Void, Never>?

    package init(database: PostgresStoreDatabase, id: String, host: String, publicURL: String?, lease: Duration) {
        (self.database, self.id, self.host, self.publicURL, self.lease) = (database, id, host, publicURL, lease)
    }

    /// Takes the lease now, then renews it until ``stop()``.
    package func start() async throws {
        try await self.renew(startedNow: true)
        let task = Task { [weak self, lease] in
            while !Task.isCancelled {
                try? await Task.sleep(for: lease / 3)
                guard !Task.isCancelled, let self else { return }
                do {
                    try await self.renew(startedNow: false)
                } catch {
                    self.database.logger.warning("could not renew this daemon's presence lease", metadata: ["error": "\(error)"])
                }
            }
        }
        self.lock.withLock { self.renewal = task }
    }

    /// Stops renewing and gives the lease up, so the others show this daemon offline at once.
    package func stop() async {
        let task = self.lock.withLock {
            defer { self.renewal = nil }
            return self.renewal
        }
        task?.cancel()
        let id = self.id
        let logger = self.database.logger
        _ = try? await self.database.transaction { connection in
            try await connection.query("UPDATE daemon SET lease_until = now() WHERE id = \(id)", logger: logger)
        }
    }

    private func renew(startedNow: Bool) async throws {
        let (id, host, url) = (self.id, self.host, self.publicURL)
        let seconds = Double(self.lease.components.seconds) + Double(self.lease.components.attoseconds) / 1e18
        let logger = self.database.logger
        try await self.database.transaction { connection in
            if startedNow {
                try await connection.query(
                    """
                    INSERT INTO daemon (id, host, public_url, started_at, lease_until)
                    VALUES (\(id), \(host), \(url), now(), now() + make_interval(secs => \(seconds)))
                    ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, public_url = EXCLUDED.public_url,
                        started_at = EXCLUDED.started_at, lease_until = EXCLUDED.lease_until
                    """,
                    logger: logger
                )
            } else {
                try await connection.query(
                    "UPDATE daemon SET lease_until = now() + make_interval(secs => \(seconds)) WHERE id = \(id)",
                    logger: logger
                )
            }
        }
    }

    /// Every daemon that ever served the store, with whether its lease holds now.
    package static func daemons(in database: PostgresStoreDatabase) async throws -> [Daemon] {
        let logger = database.logger
        return try await database.withConnection { connection in
            let rows = try await connection.query(
                "SELECT id, host, public_url, started_at, lease_until, lease_until > now() FROM daemon ORDER BY started_at, id",
                logger: logger
            )
            var daemons: [Daemon] = []
            for try await (id, host, url, started, until, online) in rows.decode((String, String, String?, Date, Date, Bool).self) {
                daemons.append(Daemon(id: id, host: host, publicURL: url, startedAt: started, leaseUntil: until, online: online))
            }
            return daemons
        }
    }
}

/// Work that one daemon at a time may do on a shared store — retention, the trash's auto-purge — behind a
/// session-level advisory lock: a daemon that finds it held skips its pass; the lock goes with the connection if
/// the daemon dies mid-pass.
package enum PostgresMaintenanceLock {
    static let key: Int64 = 0x5741_4D41_494E_5431

    /// Runs `body` if no other daemon is running maintenance; returns whether it ran.
    package static func runExclusively(
        on database: PostgresStoreDatabase,
        _ body: @escaping @Sendable () async throws -> Void
    ) async throws -> Bool {
        let logger = database.logger
        return try await database.withConnection { connection in
            var taken = false
            for try await value in try await connection.query("SELECT pg_try_advisory_lock(\(Self.key))", logger: logger).decode(Bool.self) {
                taken = value
            }
            guard taken else { return false }
            do {
                try await body()
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.key))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.key))", logger: logger)
            return true
        }
    }
}
