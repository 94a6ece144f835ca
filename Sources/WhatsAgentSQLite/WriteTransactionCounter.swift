import Foundation
import GRDB
import WhatsAgentCore

/// Counts the write transactions of one SQLite store: every transaction that ends on its writer connection, committed
/// or rolled back (a refused use case costs a transaction too). Read transactions are not counted. The counter of
/// each store and the total of the process (`whatsagent_store_write_transactions_total{store="sqlite"}`) both grow.
final class WriteTransactionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private static let processLock = NSLock()
    nonisolated(unsafe) private static var processValue = 0

    /// Write transactions of this store so far.
    var count: Int { self.lock.withLock { self.value } }

    /// Write transactions of every SQLite store of this process so far.
    static var processTotal: Int { self.processLock.withLock { self.processValue } }

    func increment() {
        self.lock.withLock { self.value += 1 }
        Self.processLock.withLock { Self.processValue += 1 }
    }

    /// Starts counting the transactions of `writer` (after its migrations: they are not use cases).
    func observe(_ writer: any DatabaseWriter) {
        writer.writeWithoutTransaction { db in
            db.add(transactionObserver: Observer(counter: self), extent: .databaseLifetime)
        }
    }

    /// GRDB tells every transaction observer of the writer connection about each commit and rollback, even of a
    /// transaction that changed nothing; read-only transactions are not reported.
    private final class Observer: TransactionObserver {
        let counter: WriteTransactionCounter

        init(counter: WriteTransactionCounter) {
            self.counter = counter
        }

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { self.counter.increment() }
        func databaseDidRollback(_ db: Database) { self.counter.increment() }
    }
}
