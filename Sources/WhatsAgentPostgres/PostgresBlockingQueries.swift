import Dispatch
import Foundation
import Logging
import PostgresNIO
import Synchronization
import WhatsAgentCore

/// Queries of one transaction made from synchronous code: the board's rules (``BoardTransaction``) read their rows
/// (``BoardRows``) synchronously and the driver is asynchronous, so the rules run on a thread of their own
/// (``run(_:)``), never one of Swift's concurrency pool, and each query they make is handed to the pool as a task and
/// waited for there (``wait(_:)``). The pool's threads never block; the waiting thread holds no lock and no connection
/// of its own (it uses the transaction's), so it adds a thread switch per query and nothing else.
///
/// One thread per transaction at most, and only while the transaction holds a connection of the pool: the number of
/// threads waiting at once is bounded by the pool's connections.
struct PostgresBlockingQueries: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `body` on a new thread and returns what it returns (the caller suspends; no thread of the pool waits).
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `operation` on the transaction's connection as a task of the pool and blocks this thread (one of
    /// ``run(_:)``'s, never the pool's) until it is done.
    func wait<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let (connection, logger) = (self.connection, self.logger)
        Task {  // bridges this synchronous caller (the rules' own thread) into the driver's async query
            let result: Result<T, any Error>
            do {
                result = .success(try await operation(connection, logger))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = outcome.withLock({ $0 }) else { throw DomainError(.storage, "a board query ended without a result") }
        return try result.get()
    }

    /// Runs `query` (nothing is read back).
    func execute(_ query: PostgresQuery) throws {
        try self.wait { connection, logger in
            _ = try await connection.query(query, logger: logger)
        }
    }

    /// The rows of `query`, each decoded by `decode`.
    func rows<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) throws -> [T] {
        try self.wait { connection, logger in
            var values: [T] = []
            for try await row in try await connection.query(query, logger: logger) { values.append(try decode(row.makeRandomAccess())) }
            return values
        }
    }

    /// The values of `query`'s one column.
    func values<T: PostgresDecodable & Sendable>(_ type: T.Type, _ query: PostgresQuery) throws -> [T] {
        try self.wait { connection, logger in
            var values: [T] = []
            for try await value in try await connection.query(query, logger: logger).decode(T.self) { values.append(value) }
            return values
        }
    }
}
