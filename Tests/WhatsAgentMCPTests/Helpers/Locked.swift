import Foundation

/// State shared with synchronous callers: the fake's nonisolated `events()` and the socket stub's threads.
final class Locked<State>: @unchecked Sendable {  // safe: every access to `state` holds `lock`
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.state)
    }
}
