import Foundation
import GRDB
import WhatsAgentCore

/// Group commit (issue 21): use cases that arrive while a write transaction runs share the next one.
///
/// Nothing ever waits for more work to arrive: a use case that finds no transaction running starts one at once. Those
/// that arrive meanwhile queue; when the transaction commits, the first of them leads the next transaction, which takes
/// every queued use case in arrival order. Each use case runs in a savepoint of its own, so one that throws (a domain
/// refusal) is rolled back and fails alone; each caller gets its result only after the transaction holding it
/// committed; a failed commit fails every use case of that transaction (their callers retry, idempotently — a send
/// carries its `clientMessageId`). Per-caller order holds: a caller's next use case is queued only after its previous
/// one returned.
final class GroupCommit: Sendable {
    private let writer: any DatabaseWriter
    private let state = LeaderQueue()

    init(_ writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` inside a write transaction, with whatever else arrived while the previous one ran.
    func run<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let job = Job { db in try work(db) }
        var leads = self.state.enqueue(job)
        while true {
            if leads { await self.runBatch() }
            switch await job.wait() {
            case .done(let result):
                guard let value = try result.get() as? T else { throw DomainError(.storage, "a grouped write returned the wrong type") }
                return value
            case .lead:
                leads = true
            }
        }
    }

    /// Use cases queued behind the running transaction (for tests).
    var queued: Int { self.state.queuedCount }

    private func runBatch() async {
        let batch = self.state.takeAll()
        guard !batch.isEmpty else { return self.state.handOver() }
        do {
            try await self.writer.write { db in
                if batch.count == 1 {
                    batch[0].result = .success(try batch[0].work(db))  // a throw rolls back the lone transaction
                    return
                }
                for job in batch {
                    do {
                        try db.inSavepoint {
                            job.result = .success(try job.work(db))
                            return .commit
                        }
                    } catch {
                        job.result = .failure(error)
                    }
                }
            }
            for job in batch { job.signal(.done(job.result ?? .failure(DomainError(.storage, "a grouped write did not run")))) }
        } catch {
            // The lone use case threw (nothing committed), or the commit failed: every use case of it fails.
            for job in batch { job.signal(.done(.failure(error))) }
        }
        self.state.handOver()
    }
}

extension GroupCommit {
    /// One queued use case: its work, its result, and the signal its caller waits on.
    final class Job: @unchecked Sendable {
        enum Signal {
            case done(Result<any Sendable, any Error>)
            /// Lead the next transaction.
            case lead
        }

        let work: (Database) throws -> any Sendable
        /// Set inside the transaction, read after it (the `await` of the write orders the two).
        var result: Result<any Sendable, any Error>?
        private let lock = NSLock()
        private var pending: [Signal] = []
        private var waiter: CheckedContinuation<Signal, Never>?

        init(_ work: @escaping (Database) throws -> any Sendable) {
            self.work = work
        }

        func signal(_ signal: Signal) {
            let waiter: CheckedContinuation<Signal, Never>? = self.lock.withLock {
                guard let waiter = self.waiter else {
                    self.pending.append(signal)
                    return nil
                }
                self.waiter = nil
                return waiter
            }
            waiter?.resume(returning: signal)
        }

        func wait() async -> Signal {
            await withCheckedContinuation { continuation in
                let ready: Signal? = self.lock.withLock {
                    guard self.pending.isEmpty else { return self.pending.removeFirst() }
                    self.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    /// The queue and whether a transaction is running (someone leads), behind one lock.
    final class LeaderQueue: @unchecked Sendable {
        private let lock = NSLock()
        private var queue: [Job] = []
        private var leading = false

        /// Queues `job`; true when no transaction runs, so the caller leads one now.
        func enqueue(_ job: Job) -> Bool {
            self.lock.withLock {
                self.queue.append(job)
                if self.leading { return false }
                self.leading = true
                return true
            }
        }

        func takeAll() -> [Job] {
            self.lock.withLock {
                defer { self.queue = [] }
                return self.queue
            }
        }

        var queuedCount: Int { self.lock.withLock { self.queue.count } }

        /// After a transaction: the first queued use case leads the next one, or nobody leads.
        func handOver() {
            let next: Job? = self.lock.withLock {
                guard let first = self.queue.first else {
                    self.leading = false
                    return nil
                }
                return first
            }
            next?.signal(.lead)
        }
    }
}
