import Foundation
import Synchronization
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// Presence across daemons (issue 22): each daemon's lease, judged by the database's clock; a daemon that stops
/// renewing is shown offline once its lease expires, one that stops cleanly at once; maintenance runs on one daemon
/// at a time.
@Suite struct PostgresPresenceTests {
    /// Polls `condition` until it holds, failing after `seconds`.
    private func eventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw DomainError(.invalidState, "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aDaemonThatStopsRenewingGoesOfflineWhenItsLeaseExpiresAndAStoppedOneAtOnce() async throws {
        let address = try await PostgresTestServer.freshDatabase()
        let (laptop, buildBox, cloud) = (
            try await PostgresTestServer.open(address), try await PostgresTestServer.open(address), try await PostgresTestServer.open(address)
        )
        defer { for database in [laptop, buildBox, cloud] { database.close() } }
        // Leases long enough that all three are still live once the third has started, on a machine whose two cores
        // are saturated (a 1-second lease ran out between the starts once, with a load of 20).
        let lease = Duration.seconds(5)
        let presences = [
            PostgresPresence(database: laptop, id: "d-laptop", host: "laptop", publicURL: "http://laptop:4017", lease: lease),
            PostgresPresence(database: buildBox, id: "d-build", host: "build-box", publicURL: nil, lease: lease),
            PostgresPresence(database: cloud, id: "d-cloud", host: "cloud-vm", publicURL: nil, lease: lease),
        ]
        for presence in presences { try await presence.start() }
        defer { for presence in presences { Task { await presence.stop() } } }

        let all = try await PostgresPresence.daemons(in: laptop)
        #expect(all.map(\.host).sorted() == ["build-box", "cloud-vm", "laptop"])
        #expect(all.allSatisfy { $0.online })
        #expect(all.first { $0.id == "d-laptop" }?.publicURL == "http://laptop:4017")

        // The build box loses its connections: its renewals fail, its lease runs out, the others see it offline —
        // while they renew theirs.
        let laptopLease = try #require(all.first { $0.id == "d-laptop" }?.leaseUntil)
        buildBox.close()
        try await self.eventually("the build box shown offline") {
            try await PostgresPresence.daemons(in: laptop).first { $0.id == "d-build" }?.online == false
        }
        try await self.eventually("the laptop renewing its lease") {
            try await PostgresPresence.daemons(in: cloud).first { $0.id == "d-laptop" }.map { $0.leaseUntil > laptopLease } == true
        }

        // A clean stop gives the lease up at once.
        await presences[2].stop()
        let afterStop = try await PostgresPresence.daemons(in: laptop)
        #expect(afterStop.first { $0.id == "d-cloud" }?.online == false)
    }

    @Test func maintenanceRunsOnOneDaemonAtATime() async throws {
        let address = try await PostgresTestServer.freshDatabase()
        let (first, second) = (try await PostgresTestServer.open(address), try await PostgresTestServer.open(address))
        defer {
            first.close()
            second.close()
        }
        let (entered, release) = (AsyncStream<Void>.makeStream(), AsyncStream<Void>.makeStream())
        let running = Task {
            try await PostgresMaintenanceLock.runExclusively(on: first) {
                entered.continuation.yield()
                for await _ in release.stream { return }
            }
        }
        for await _ in entered.stream { break }
        let skipped = try await PostgresMaintenanceLock.runExclusively(on: second) {}
        #expect(skipped == false, "the other daemon skips its pass")
        release.continuation.yield()
        let ran = try await running.value
        #expect(ran == true)
        let free = try await PostgresMaintenanceLock.runExclusively(on: second) {}
        #expect(free == true, "free again once the pass ended")
    }
}
