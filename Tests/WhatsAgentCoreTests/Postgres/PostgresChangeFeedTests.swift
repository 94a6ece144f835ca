import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The change feed across daemons (issue 22): a change committed by one daemon reaches the subscribers of every daemon
/// on the same database; a rolled-back one reaches nobody; a listener whose server restarted listens again and tells
/// its subscribers that everything may have changed.
@Suite struct PostgresChangeFeedTests {
    let logger = PostgresTestServer.logger

    /// What one subscriber received, and a way to wait for it.
    final class Received: Sendable {
        let changes = Mutex<[StoreChange]>([])

        func record(_ change: StoreChange) { self.changes.withLock { $0.append(change) } }

        func count(of change: StoreChange) -> Int { self.changes.withLock { $0.filter { $0 == change }.count } }

        /// Polls until `condition` holds, failing after `seconds`.
        func wait(_ what: String, seconds: Double = 10, until condition: () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while !condition() {
                guard ContinuousClock.now < deadline else {
                    throw DomainError(.invalidState, "timed out waiting for \(what); received \(self.changes.withLock { $0 })")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    private func daemon(_ address: PostgresAddress) async throws -> (PostgresStoreDatabase, PostgresChangeFeed, Received) {
        let database = try await PostgresTestServer.open(address)
        let feed = PostgresChangeFeed()
        let received = Received()
        feed.subscribe { received.record($0) }
        feed.start(database, scanInterval: .seconds(3600))
        return (database, feed, received)
    }

    @Test func aCommittedChangeReachesEveryDaemonAndARolledBackOneNobody() async throws {
        let address = try await PostgresTestServer.freshDatabase()
        let (first, firstFeed, firstReceived) = try await self.daemon(address)
        let (second, secondFeed, secondReceived) = try await self.daemon(address)
        defer {
            firstFeed.stop()
            secondFeed.stop()
            first.close()
            second.close()
        }
        // Listening: each started with the catch-up every (re)connect brings.
        try await firstReceived.wait("first listener") { firstFeed.listenerState.listening }
        try await secondReceived.wait("second listener") { secondFeed.listenerState.listening }
        let baseline = (firstReceived.count(of: .webSessionsEnded), secondReceived.count(of: .webSessionsEnded))

        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await first.transaction { connection in
                try await PostgresChangeFeed.notify(.webSessionsEnded, on: connection, logger: self.logger)
                throw Abort()
            }
        }
        try await first.transaction { connection in
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: self.logger)
        }
        let workspaces = (firstReceived.count(of: .workspaces), secondReceived.count(of: .workspaces))
        try await first.transaction { connection in
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: self.logger)
        }

        try await secondReceived.wait("the other daemon") { secondReceived.count(of: .workspaces) > workspaces.1 }
        try await firstReceived.wait("the committing daemon") { firstReceived.count(of: .workspaces) > workspaces.0 }
        // Notices arrive in commit order on one connection, so once the later one arrived the rolled-back one never will.
        #expect(firstReceived.count(of: .webSessionsEnded) == baseline.0)
        #expect(secondReceived.count(of: .webSessionsEnded) == baseline.1)
    }

    @Test func aListenerWhoseServerRestartedListensAgainAndCatchesUp() async throws {
        let cluster = try await PostgresTestServer.privateCluster()
        defer { cluster.remove() }
        let address = cluster.address()
        let (database, feed, received) = try await self.daemon(address)
        defer {
            feed.stop()
            database.close()
        }
        try await received.wait("listening") { feed.listenerState.listening }
        let before = received.count(of: .webSessionsEnded)

        try await cluster.pgctl("stop")
        try await received.wait("the listener noticing the loss") { !feed.listenerState.listening }
        try await cluster.pgctl("start")
        try await received.wait("listening again") { feed.listenerState.listens >= 2 && feed.listenerState.listening }
        // Reconnecting delivered every kind of change, so caches dropped what they may have missed.
        #expect(received.count(of: .webSessionsEnded) > before)

        let other = try await PostgresTestServer.open(address)
        defer { other.close() }
        let workspaces = received.count(of: .workspaces)
        try await other.transaction { connection in
            try await PostgresChangeFeed.notify(.workspaces, on: connection, logger: self.logger)
        }
        try await received.wait("a change after the restart") { received.count(of: .workspaces) > workspaces }
    }
}
