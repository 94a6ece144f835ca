import Synchronization

/// Runs an actor's operations one at a time across their suspension points.
///
/// An actor alone interleaves another call at every `await`. ``WorkspaceService``'s lifecycle steps ("check",
/// "close", "move the folder", "write the row") must not interleave, and the registry they write is asynchronous
/// (PostgreSQL's driver is), so each of its operations runs inside ``run(isolation:_:)``: the next one starts when the
/// previous one returned, in the order they arrived. An operation that calls another of the same gate (a summary
/// listing the workspaces) runs it inside its own turn: the gate knows, through a task-local value, that the task
/// already holds it.
final class SerialGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// The gates the current task holds.
    @TaskLocal private static var held: Set<ObjectIdentifier> = []

    init() {}

    /// Runs `body` once every operation that arrived before it returned, on the caller's actor.
    func run<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async rethrows -> Result {
        let key = ObjectIdentifier(self)
        if Self.held.contains(key) { return try await body() }
        if !self.tryAcquire() { await self.wait() }
        defer { self.release() }
        return try await Self.$held.withValue(Self.held.union([key])) { try await body() }
    }

    /// Takes the gate when it is free, without suspending (the common case: no hop off the caller's actor).
    private func tryAcquire() -> Bool {
        self.state.withLock { state in
            guard state.busy else {
                state.busy = true
                return true
            }
            return false
        }
    }

    /// Waits until the gate is handed over, or takes it if it was freed meanwhile.
    private func wait(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { (continuation: CheckedContinuation<Void, Never>) in
            let free = self.state.withLock { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    /// Hands the gate to the longest waiter, or frees it.
    private func release() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
