/// Lets one task wait until `tick()` has been called `target` times, or until the first `fail(_:)`.
final class Countdown: Sendable {
    private struct State {
        var remaining: Int
        var waiter: CheckedContinuation<Void, any Error>?
        var failure: (any Error)?
    }

    private let state: Locked<State>

    init(_ target: Int) {
        self.state = Locked(State(remaining: target))
    }

    func tick() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.remaining -= 1
            guard state.remaining <= 0 else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func fail(_ error: any Error) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.failure = state.failure ?? error
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: error)
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = self.state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if state.remaining <= 0 { return .success(()) }
                state.waiter = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}
