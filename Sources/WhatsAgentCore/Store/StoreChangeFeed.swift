import Foundation

/// What a committed change touched, for what keeps stored rows in memory (docs/store.md, "Caches").
package enum StoreChange: Sendable, Equatable, CaseIterable {
    /// A workspace row of the registry: name, status, topology, RBAC mode, prefixes, limits.
    case workspaces
    /// Web sessions were deleted: a logout, a revoke, a password change or reset, expiry.
    case webSessionsEnded
}

/// The store's change feed (issue 19): every cache of stored rows, and every live connection that must notice a
/// change, is told through it and through nothing else. SQLite delivers in the process that committed (one daemon owns
/// the files); PostgreSQL (issue 22) publishes with `NOTIFY` in the committing transaction and delivers to each
/// daemon's `LISTEN`, so a change on one host reaches the caches of all of them.
package protocol StoreChangeFeed: Sendable {
    /// Calls `handler` after each committed change, on the committing thread (keep it short: drop a cache, wake a
    /// stream). Handlers live as long as the feed.
    func subscribe(_ handler: @escaping @Sendable (StoreChange) -> Void)
}

/// The feed of a store that one process owns: a change is delivered to the subscribers right after its commit.
package final class LocalStoreChangeFeed: StoreChangeFeed, @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [@Sendable (StoreChange) -> Void] = []

    package init() {}

    package func subscribe(_ handler: @escaping @Sendable (StoreChange) -> Void) {
        self.lock.withLock { self.handlers.append(handler) }
    }

    /// Delivers `change` to every subscriber; call it after the commit.
    package func publish(_ change: StoreChange) {
        let handlers = self.lock.withLock { self.handlers }
        for handler in handlers { handler(change) }
    }
}
