import Foundation
import Logging
import PostgresNIO
import WhatsAgentCore

/// The change feed of a store several daemons share (issue 22; docs/store.md, "Caches"): a use case queues its
/// changes with ``notify(_:on:)`` inside its transaction — PostgreSQL delivers a `NOTIFY` only when that transaction
/// commits, and never when it rolls back — and every daemon's listener hands them to its subscribers.
///
/// A notification names what changed, never its content. One connection per daemon listens; when it is lost, the
/// listener connects again, `LISTEN`s again, and tells the subscribers that *everything* may have changed (a notice
/// sent while it was away is lost), as it also does every `scanInterval`: a lost notification costs latency, never a
/// stale cache for long.
package final class PostgresChangeFeed: StoreChangeFeed, @unchecked Sendable {
    /// The `NOTIFY` channel.
    static let channel = "whatsagent_changes"

    private let lock = NSLock()
    private var handlers: [@Sendable (StoreChange) -> Void] = []
    private var tasks: [Task<Void, Never>] = []
    private var listening = false
    /// Times the listener has started listening (its first `LISTEN` and every one after a reconnect).
    private var listens = 0

    package init() {}

    package func subscribe(_ handler: @escaping @Sendable (StoreChange) -> Void) {
        self.lock.withLock { self.handlers.append(handler) }
    }

    /// Queues `change` for every daemon's subscribers, this one's included; delivered when the caller's transaction
    /// commits.
    package static func notify(_ change: StoreChange, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(Self.channel), \(change.notice))", logger: logger)
    }

    /// Starts listening on `database` until ``stop()``: the listener, and the scan every `scanInterval`.
    package func start(_ database: PostgresStoreDatabase, scanInterval: Duration) {
        self.lock.withLock {
            guard self.tasks.isEmpty else { return }
            self.tasks = [
                Task { [weak self] in await self?.listen(database) },
                Task { [weak self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: scanInterval)
                        guard !Task.isCancelled else { return }
                        self?.deliverEverything()
                    }
                },
            ]
        }
    }

    /// Stops listening and scanning.
    package func stop() {
        let tasks = self.lock.withLock {
            defer { self.tasks = [] }
            return self.tasks
        }
        for task in tasks { task.cancel() }
    }

    /// Whether the listener is connected and listening now, and how many times it started listening.
    package var listenerState: (listening: Bool, listens: Int) {
        self.lock.withLock { (self.listening, self.listens) }
    }

    private func listen(_ database: PostgresStoreDatabase) async {
        var backoff = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await database.client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notices in
                        backoff = .milliseconds(50)
                        // Whatever was notified while nobody listened is lost: every cache starts over.
                        self.deliverEverything()
                        self.lock.withLock { (self.listening, self.listens) = (true, self.listens + 1) }
                        for try await notice in notices {
                            guard let change = StoreChange(notice: notice.payload) else {
                                database.logger.warning("unknown store notice", metadata: ["notice": "\(notice.payload)"])
                                continue
                            }
                            self.deliver(change)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                database.logger.warning("store listener lost its connection; listening again", metadata: ["error": "\(error)"])
            }
            self.lock.withLock { self.listening = false }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
        self.lock.withLock { self.listening = false }
    }

    private func deliverEverything() {
        for change in StoreChange.allCases { self.deliver(change) }
    }

    private func deliver(_ change: StoreChange) {
        let handlers = self.lock.withLock { self.handlers }
        for handler in handlers { handler(change) }
    }
}

extension StoreChange {
    /// The `NOTIFY` payload.
    var notice: String {
        switch self {
        case .workspaces: "workspaces"
        case .webSessionsEnded: "web-sessions-ended"
        }
    }

    init?(notice: String) {
        guard let change = Self.allCases.first(where: { $0.notice == notice }) else { return nil }
        self = change
    }
}
