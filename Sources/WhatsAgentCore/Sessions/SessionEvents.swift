import Foundation

/// The events of one connection holding a session's events stream (``EventHub/subscribe(_:)``).
///
/// Mail hints are coalesced while one is in flight (issue 21): a hint is a summary of everything waiting (count, the
/// newest ids, a cursor), so when the connection has not yet taken the previous one, a newer hint replaces it instead
/// of queueing behind it. A recipient that reads slowly gets one hint per read, naming all that waits, however many
/// sends arrived meanwhile — never a backlog of stale hints.
public struct SessionEvents: AsyncSequence, Sendable {
    public typealias Element = SessionEvent

    let stream: AsyncStream<SessionEvent>
    let mail: PendingMail

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<SessionEvent>.AsyncIterator
        let mail: PendingMail

        public mutating func next() async -> SessionEvent? {
            guard let event = await self.base.next() else { return nil }
            guard case .mail(let queued) = event else { return event }
            return .mail(self.mail.take() ?? queued)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.stream.makeAsyncIterator(), mail: self.mail)
    }
}

/// The mail hint a connection has not taken yet.
final class PendingMail: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: MailHint?

    /// Keeps `hint` as the one to deliver; true when nothing was pending (the connection must be woken), false when it
    /// replaced a hint still waiting (the connection's wake-up is already queued). The replacement keeps the earliest
    /// commit time (the push latency is measured from the oldest send it delivers) and the push record of either.
    func offer(_ hint: MailHint) -> Bool {
        self.lock.withLock {
            guard let previous = self.pending else {
                self.pending = hint
                return true
            }
            var merged = hint
            if let earlier = previous.committedAt, merged.committedAt.map({ earlier < $0 }) ?? true { merged.committedAt = earlier }
            merged.recordedPath = hint.recordedPath ?? previous.recordedPath
            self.pending = merged
            return false
        }
    }

    /// The hint to deliver now, if any; the next offer wakes the connection again.
    func take() -> MailHint? {
        self.lock.withLock {
            defer { self.pending = nil }
            return self.pending
        }
    }
}
