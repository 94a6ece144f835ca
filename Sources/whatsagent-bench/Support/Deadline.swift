/// A time limit for one step of the benchmark: ``run(_:)`` fails with ``BenchError/timeout(_:)`` when the step takes
/// longer than `seconds`.
///
/// This guards against a hung benchmark; it is not a way to wait (nothing sleeps in place of awaiting an event).
/// `onTimeout` must make the step finish (fail its waiters, kill its processes), because the task group waits for it.
struct Deadline: Sendable {
    var seconds: Double
    var what: String
    var onTimeout: @Sendable () -> Void

    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(self.seconds))
                self.onTimeout()
                throw BenchError.timeout("\(self.what) (more than \(Int(self.seconds)) s)")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw BenchError.unexpected("\(self.what) ended without a result")
            }
            return value
        }
    }
}
