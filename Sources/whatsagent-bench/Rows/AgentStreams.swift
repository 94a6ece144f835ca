import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// When each message's `mail` hint reached its recipient, by message id, recorded the moment the event is
/// received from ``AgentClient/events()``.
final class MailBoard: Sendable {
    private struct State {
        var arrivals: [String: ContinuousClock.Instant] = [:]
        var waiters: [String: CheckedContinuation<ContinuousClock.Instant, any Error>] = [:]
        var failure: (any Error)?
    }

    private let state = Locked(State())

    /// A `mail` event listed `ids` (it lists every waiting message; only the first sighting counts).
    func record(_ ids: [String], at instant: ContinuousClock.Instant) {
        let ready = self.state.withLock { state in
            var ready: [CheckedContinuation<ContinuousClock.Instant, any Error>] = []
            for id in ids where state.arrivals[id] == nil {
                state.arrivals[id] = instant
                if let waiter = state.waiters.removeValue(forKey: id) { ready.append(waiter) }
            }
            return ready
        }
        for waiter in ready { waiter.resume(returning: instant) }
    }

    /// When the hint for message `id` arrived; waits for it if it has not yet.
    func arrival(of id: String) async throws -> ContinuousClock.Instant {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<ContinuousClock.Instant, any Error>? = self.state.withLock { state in
                if let instant = state.arrivals[id] { return .success(instant) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters[id] = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Fails every waiter, now and later (a stream ended, or the row timed out).
    func fail(_ error: any Error) {
        let waiters = self.state.withLock { state in
            state.failure = state.failure ?? error
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}

/// Every agent holding its events stream with ``AgentClient`` (this is what makes an agent "connected"), with the
/// `mail` hints recorded on a ``MailBoard``.
final class AgentStreams: Sendable {
    let board = MailBoard()
    private let tasks = Locked<[Task<Void, Never>]>([])

    /// Opens one stream per agent and returns once the daemon said `hello` on all of them.
    static func open(_ agents: [DaemonHarness.Agent]) async throws -> AgentStreams {
        let streams = AgentStreams()
        let greeted = Countdown(agents.count)
        for agent in agents {
            let board = streams.board
            let task = Task {
                do {
                    for try await event in agent.client.events() {
                        let now = ContinuousClock.now
                        switch event.kind {
                        case .mail: board.record(event.messageIds ?? [], at: now)
                        case .hello: greeted.tick()
                        case .sessionEnded: throw BenchError.unexpected("\(agent.address)'s session ended: \(event.reason ?? "?")")
                        case .toolsChanged: break
                        }
                    }
                    if !Task.isCancelled { throw BenchError.unexpected("the daemon closed \(agent.address)'s events stream") }
                } catch {
                    if Task.isCancelled { return }
                    board.fail(error)
                    greeted.fail(error)
                }
            }
            streams.tasks.withLock { $0.append(task) }
        }
        let deadline = Deadline(
            seconds: 30,
            what: "\(agents.count) events streams saying hello",
            onTimeout: { greeted.fail(BenchError.timeout("hello")) }
        )
        try await deadline.run {
            try await greeted.wait()
        }
        return streams
    }

    /// Closes every stream (cancelling a consumer closes its connection).
    func close() {
        for task in self.tasks.withLock({ $0 }) { task.cancel() }
    }
}
