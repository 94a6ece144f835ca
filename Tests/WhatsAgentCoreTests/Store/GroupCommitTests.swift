import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Group commit in the SQLite store (issue 21): use cases arriving during a commit share the next transaction, a
/// refusal fails only its own use case, a failed commit fails every use case of it, and nothing waits for more work.
@Suite(.timeLimit(.minutes(2))) struct GroupCommitTests {
    struct Refused: Error {}

    /// A fresh in-memory database with a table of rows and a child table whose foreign key is checked at commit.
    static func database() throws -> (DatabaseQueue, GroupCommit, WriteTransactionCounter) {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE row (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                    CREATE TABLE parent (id INTEGER PRIMARY KEY);
                    CREATE TABLE child (id INTEGER PRIMARY KEY, parentId INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
                    """
            )
        }
        let counter = WriteTransactionCounter()
        counter.observe(queue)
        return (queue, GroupCommit(queue), counter)
    }

    /// Starts a use case that holds the writer (its dispatch queue, not a thread of the test's) until `release` is
    /// signalled, and returns once it runs.
    static func holdTheWriter(_ group: GroupCommit, _ release: DispatchSemaphore) async throws -> Task<Void, any Error> {
        let (running, started) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await group.run { db in
                try db.execute(sql: "INSERT INTO row (name) VALUES ('holder')")
                started.yield()
                release.wait()
            }
        }
        for await _ in running { break }
        return holder
    }

    /// Polls `condition` until it holds, failing after 60 seconds (the machine may be loaded).
    static func until(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw DomainError(.invalidState, "timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func useCasesArrivingDuringACommitShareTheNextTransactionAndARefusalFailsAlone() async throws {
        let (queue, group, counter) = try Self.database()
        let release = DispatchSemaphore(value: 0)
        let holder = try await Self.holdTheWriter(group, release)
        let before = counter.count

        let outcomes = Task {
            await withTaskGroup(of: (Int, Bool).self) { tasks in
                for index in 0..<20 {
                    tasks.addTask {
                        do {
                            _ = try await group.run { db in
                                try db.execute(sql: "INSERT INTO row (name) VALUES (?)", arguments: ["use case \(index)"])
                                if index == 7 { throw Refused() }
                            }
                            return (index, true)
                        } catch {
                            return (index, false)
                        }
                    }
                }
                return await tasks.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
        }
        try await Self.until("all 20 queue behind the holder") { group.queued == 20 }
        release.signal()
        let results = await outcomes.value
        try await holder.value

        #expect(counter.count - before == 2, "the holder's transaction, then one for all 20")
        #expect(results.filter { !$0.value }.map(\.key) == [7], "only the refused use case failed")
        let names = try await queue.read { db in try String.fetchSet(db, sql: "SELECT name FROM row") }
        #expect(names.count == 20, "the holder and 19 use cases")
        #expect(!names.contains("use case 7"), "the refusal was rolled back to its savepoint")
    }

    @Test func aFailedCommitFailsEveryUseCaseOfIt() async throws {
        let (queue, group, _) = try Self.database()
        let release = DispatchSemaphore(value: 0)
        let holder = try await Self.holdTheWriter(group, release)

        let outcomes = Task {
            await withTaskGroup(of: Bool.self) { tasks in
                for index in 0..<5 {
                    tasks.addTask {
                        do {
                            _ = try await group.run { db in
                                // Use case 2 breaks a foreign key that is only checked at COMMIT.
                                try db.execute(sql: "INSERT INTO child (parentId) VALUES (?)", arguments: [index == 2 ? 999 : nil])
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await tasks.reduce(into: [Bool]()) { $0.append($1) }
            }
        }
        try await Self.until("all 5 queue behind the holder") { group.queued == 5 }
        release.signal()
        let results = await outcomes.value
        try await holder.value

        #expect(results == [false, false, false, false, false])
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child") } == 0)
        // The next use case runs on its own, at once.
        try await group.run { db in try db.execute(sql: "INSERT INTO child (parentId) VALUES (NULL)") }
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child") } == 1)
    }

    @Test func concurrentSendersKeepTheirOrderAndEverySendLands() async throws {
        let database = try WorkspaceDatabase.inMemory()
        let seed = SQLiteSeed(database: database, folder: nil)
        let qa = try await seed.addAgent("api:qa")
        var senders: [Agent] = []
        for index in 0..<8 { senders.append(try await seed.addAgent("api:s\(index)")) }
        let store: any MessagingStore = database

        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in senders {
                group.addTask {
                    for index in 0..<10 {
                        _ = try await MessagingStoreContractTests.send(store, from: sender, to: qa, body: "\(sender.name) \(index)")
                    }
                }
            }
            try await group.waitForAll()
        }

        let session = try await seed.openSession(qa)
        let lease = try await store.leaseInbox(InboxLeaseRequest(agent: qa.id, session: session, limit: 200, leaseID: "l", now: Date()))
        #expect(lease.messages.count == 80)
        for sender in senders {
            let bodies = lease.messages.filter { $0.fromAgentID == sender.id }.map(\.body)
            #expect(bodies == (0..<10).map { "\(sender.name) \($0)" }, "\(sender.name)'s sends in the order it made them")
        }
    }
}
