import Foundation

/// A value behind a lock, for state shared between tasks and the bench's reader threads.
///
/// (`Synchronization.Mutex` would do, but it needs macOS 15 and the package still targets macOS 14.)
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try self.lock.withLock { try body(&self.value) }
    }
}
