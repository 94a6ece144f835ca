import Foundation

/// Tells long-lived web connections (the event stream) that web sessions may have ended — logout, revoke, sign out
/// the others, password change or reset, recovery — so each re-checks its own session at once instead of at its next
/// send. It says only "something ended": the watcher asks ``AuthService/session(token:)`` whether it was its own.
public final class WebSessionEndings: @unchecked Sendable {
    private let lock = NSLock()
    private var watchers: [UUID: AsyncStream<Void>.Continuation] = [:]

    public init() {}

    /// A stream that yields after sessions ended (coalesced: at most one signal waits), and a key for
    /// ``stopWatching(_:)``.
    public func watch() -> (AsyncStream<Void>, UUID) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let key = UUID()
        self.lock.withLock { self.watchers[key] = continuation }
        return (stream, key)
    }

    public func stopWatching(_ key: UUID) {
        self.lock.withLock { self.watchers.removeValue(forKey: key) }?.finish()
    }

    /// Called by the store's change feed after sessions were deleted (`StoreChange.webSessionsEnded`).
    func notify() {
        let watchers = self.lock.withLock { Array(self.watchers.values) }
        for watcher in watchers { watcher.yield() }
    }
}
