import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The web owner's side of the registry (``AuthStore``: credential, setup token, lockout, sessions), held by every
/// implementation in ``RegistryUnderTest/all``.
@Suite struct AuthStoreContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func session(_ id: String, createdAt seconds: Double, lifetime: TimeInterval = 30 * 86_400) -> AuthSessionRecord {
        let created = Self.start.addingTimeInterval(seconds)
        return AuthSessionRecord(
            id: id,
            tokenHash: AuthSecret.sha256("token-\(id)"),
            createdAt: created,
            lastSeenAt: created,
            expiresAt: created.addingTimeInterval(lifetime),
            userAgent: id == "a" ? nil : "agent \(id)"
        )
    }

    @Test(arguments: RegistryUnderTest.all)
    func theCredentialIsEmptyUntilSetAndASetupTokenIsConsumedOnce(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        let empty = try await store.authCredential()
        #expect(empty.passwordHash == nil && empty.recoveryHash == nil && empty.setupTokenHash == nil && empty.lockedUntil == nil)

        try await store.setSetupTokenHash("old", now: Self.start)
        try await store.setSetupTokenHash("token", now: Self.start)
        #expect(try await store.authCredential().setupTokenHash == "token")
        let stale = try await store.setPassword(hash: "p0", recoveryHash: "r0", consumingSetupTokenHash: "old", now: Self.start)
        let consumed = try await store.setPassword(hash: "p1", recoveryHash: "r1", consumingSetupTokenHash: "token", now: Self.start)
        let again = try await store.setPassword(hash: "p2", recoveryHash: "r2", consumingSetupTokenHash: "token", now: Self.start)

        #expect(!stale)
        #expect(consumed)
        #expect(!again)
        var credential = try await store.authCredential()
        #expect(credential.passwordHash == "p1" && credential.recoveryHash == "r1" && credential.setupTokenHash == nil)

        try await store.setSetupTokenHash("late", now: Self.start)
        let overSet = try await store.setPassword(hash: "p3", recoveryHash: nil, consumingSetupTokenHash: "late", now: Self.start)
        #expect(!overSet, "a password is set: a setup token no longer sets one")
        #expect(try await store.setPassword(hash: "p4", recoveryHash: nil, consumingSetupTokenHash: nil, now: Self.start))
        credential = try await store.authCredential()
        #expect(credential.passwordHash == "p4" && credential.recoveryHash == "r1", "a change without a recovery hash keeps the old one")
        #expect(credential.setupTokenHash == nil)
        try await store.setRecoveryHash("r5", now: Self.start)
        #expect(try await store.authCredential().recoveryHash == "r5")
    }

    /// Two setups with the same token at once: exactly one sets the password.
    @Test(arguments: RegistryUnderTest.all)
    func ofConcurrentSetupsExactlyOneWins(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        try await store.setSetupTokenHash("token", now: Self.start)

        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await store.setPassword(hash: "p\(index)", recoveryHash: "r\(index)", consumingSetupTokenHash: "token", now: Self.start)
                        ? "p\(index)" : nil
                }
            }
            var winners: [String] = []
            for try await winner in group { if let winner { winners.append(winner) } }
            return winners
        }

        #expect(winners.count == 1)
        #expect(try await store.authCredential().passwordHash == winners.first)
    }

    /// Two daemons on one shared store, each with the setup token its start printed: one password, set once.
    @Test func ofSetupsOnTwoDaemonsExactlyOneWins() async throws {
        let registry = try await RegistryUnderTest.postgres.open()
        defer { Task { await registry.close() } }
        let (other, closeOther) = try #require(try await registry.sharedBy?())
        defer { Task { await closeOther() } }
        try await registry.store.setSetupTokenHash("first host", now: Self.start)
        try await other.setSetupTokenHash("second host", now: Self.start)
        #expect(try await other.authCredential().setupTokenHash == "second host", "the setup token stays on its host")

        async let first = registry.store.setPassword(hash: "p1", recoveryHash: "r1", consumingSetupTokenHash: "first host", now: Self.start)
        async let second = other.setPassword(hash: "p2", recoveryHash: "r2", consumingSetupTokenHash: "second host", now: Self.start)
        let results = try await [first, second]

        #expect(results.filter { $0 }.count == 1)
        let password = try await other.authCredential().passwordHash
        #expect(password == (results[0] ? "p1" : "p2"))
        #expect(try await registry.store.authCredential().passwordHash == password, "one password on every host")
    }

    @Test(arguments: RegistryUnderTest.all)
    func failuresWithinTheWindowLockAndAClearUnlocks(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        func fail(at seconds: Double) async throws -> Date? {
            try await store.recordAuthFailure(now: Self.start.addingTimeInterval(seconds), window: 60, maximum: 5, lockFor: 900)
        }

        for second in [0, 10, 20, 30] { #expect(try await fail(at: Double(second)) == nil) }
        #expect(try await fail(at: 65) == nil, "the failure at 0 s fell out of the window: four within it")
        #expect(try await fail(at: 66) == Self.start.addingTimeInterval(66 + 900))
        #expect(try await store.authCredential().lockedUntil == Self.start.addingTimeInterval(966))
        #expect(try await fail(at: 67) == nil, "locking forgot the failures")
        #expect(try await fail(at: 68) == nil)

        try await store.clearAuthFailures(now: Self.start.addingTimeInterval(69))

        #expect(try await store.authCredential().lockedUntil == nil)
        for second in 70..<74 { #expect(try await fail(at: Double(second)) == nil, "the clear forgot the failures at 67 and 68 s too") }
    }

    /// Failures recorded at once are counted one after the other: of ten, the fifth and the tenth lock.
    @Test(arguments: RegistryUnderTest.all)
    func concurrentFailuresLockAtomically(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }

        let locks = try await withThrowingTaskGroup(of: Date?.self) { group in
            for _ in 0..<10 {
                group.addTask { try await store.recordAuthFailure(now: Self.start, window: 60, maximum: 5, lockFor: 900) }
            }
            var locks = 0
            for try await lock in group where lock != nil { locks += 1 }
            return locks
        }

        #expect(locks == 2)
        #expect(try await store.authCredential().lockedUntil == Self.start.addingTimeInterval(900))
    }

    @Test(arguments: RegistryUnderTest.all)
    func resetForgetsThePasswordEndsEverySessionAndIssuesASetupToken(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        try await registry.ready()
        let feed = RegistryFeed(store.changes)
        _ = try await store.setPassword(hash: "p", recoveryHash: "r", consumingSetupTokenHash: nil, now: Self.start)
        for _ in 0..<5 { _ = try await store.recordAuthFailure(now: Self.start, window: 60, maximum: 5, lockFor: 900) }
        try await store.insertAuthSession(Self.session("a", createdAt: 0))
        let before = feed.count(of: .webSessionsEnded)

        try await store.resetAuth(setupTokenHash: "fresh", now: Self.start.addingTimeInterval(1))

        let credential = try await store.authCredential()
        #expect(credential.passwordHash == nil && credential.recoveryHash == nil && credential.lockedUntil == nil)
        #expect(credential.setupTokenHash == "fresh")
        #expect(try await store.authSessions().isEmpty)
        try await feed.wait(for: .webSessionsEnded, after: before)
        #expect(try await store.recordAuthFailure(now: Self.start, window: 60, maximum: 2, lockFor: 900) == nil, "failures were forgotten")
        #expect(try await store.setPassword(hash: "new", recoveryHash: "r", consumingSetupTokenHash: "fresh", now: Self.start))
    }

    @Test(arguments: RegistryUnderTest.all)
    func sessionsAreFoundListedTouchedAndDeleted(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        try await registry.ready()
        let feed = RegistryFeed(store.changes)
        let (a, b, c, d) = (
            Self.session("a", createdAt: 0), Self.session("b", createdAt: 20), Self.session("c", createdAt: 10), Self.session("d", createdAt: 5)
        )
        for session in [a, b, c, d] { try await store.insertAuthSession(session) }

        #expect(try await store.authSession(tokenHash: a.tokenHash)?.id == "a")
        #expect(try await store.authSession(tokenHash: "unknown") == nil)
        #expect(try await store.authSessions().map(\.id) == ["b", "c", "d", "a"], "newest first")
        try await store.touchAuthSession(id: "c", now: Self.start.addingTimeInterval(100))
        #expect(try await store.authSession(tokenHash: c.tokenHash)?.lastSeenAt == Self.start.addingTimeInterval(100))
        #expect(try await store.authSession(tokenHash: c.tokenHash)?.userAgent == "agent c")

        let ended = feed.count(of: .webSessionsEnded)
        #expect(try await !store.deleteAuthSession(id: "nobody"))
        #expect(try await store.deleteAuthSessions(except: "nobody") == 4)
        #expect(try await store.authSessions().isEmpty)
        try await feed.wait(for: .webSessionsEnded, after: ended)
    }

    /// `deleteAuthSessions(except:)` keeps the one named (a password change keeps the session that asked).
    @Test(arguments: RegistryUnderTest.all)
    func deletingEveryOtherSessionKeepsTheOneNamed(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        try await registry.ready()
        let feed = RegistryFeed(store.changes)
        for (index, id) in ["a", "b", "c"].enumerated() { try await store.insertAuthSession(Self.session(id, createdAt: Double(index))) }
        let before = feed.count(of: .webSessionsEnded)

        #expect(try await store.deleteAuthSessions(except: "b") == 2)
        #expect(try await store.authSessions().map(\.id) == ["b"])
        try await feed.wait(for: .webSessionsEnded, after: before)
        let afterOthers = feed.count(of: .webSessionsEnded)
        #expect(try await store.deleteAuthSessions(except: "b") == 0, "nothing left to delete: nobody is told")
        #expect(try await !store.deleteAuthSession(id: "a"))
        #expect(try await store.deleteAuthSession(id: "b"))
        try await feed.wait(for: .webSessionsEnded, after: afterOthers)
        #expect(feed.count(of: .webSessionsEnded) == afterOthers + 1, "only the delete that deleted told the feed")

        try await store.insertAuthSession(Self.session("e", createdAt: 5))
        #expect(try await store.deleteAuthSessions(except: nil) == 1)
        #expect(try await store.authSessions().isEmpty)
    }

    /// A session ends at its absolute end, or once idle for `idle`, whichever comes first (both bounds included).
    @Test(arguments: RegistryUnderTest.all)
    func expiredSessionsEndByIdleTimeOrAbsoluteEnd(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        let now = Self.start.addingTimeInterval(1000)
        let idle: TimeInterval = 300
        var pastEnd = Self.session("past-end", createdAt: 0, lifetime: 1000)
        pastEnd.lastSeenAt = now
        let idleTooLong = Self.session("idle", createdAt: 700)
        var fresh = Self.session("fresh", createdAt: 0, lifetime: 1001)
        fresh.lastSeenAt = Self.start.addingTimeInterval(701)
        var used = Self.session("used", createdAt: 0)
        used.lastSeenAt = now
        for session in [pastEnd, idleTooLong, fresh, used] { try await store.insertAuthSession(session) }

        try await store.deleteExpiredAuthSessions(now: now, idle: idle)

        #expect(try await store.authSessions().map(\.id).sorted() == ["fresh", "used"])
    }

    /// Sessions ended by one daemon wake the streams of another on a shared store.
    @Test func sessionsEndedByOneDaemonReachTheOthersFeed() async throws {
        let registry = try await RegistryUnderTest.postgres.open()
        defer { Task { await registry.close() } }
        let (other, closeOther) = try #require(try await registry.sharedBy?())
        defer { Task { await closeOther() } }
        let feed = RegistryFeed(other.changes)
        try await RegistryFeed.poll("the other daemon's feed to listen") { (other as? PostgresRegistry)?.feed.listenerState.listening == true }
        try await registry.store.insertAuthSession(Self.session("a", createdAt: 0))
        #expect(try await other.authSession(tokenHash: Self.session("a", createdAt: 0).tokenHash)?.id == "a", "sessions are shared")
        let before = feed.count(of: .webSessionsEnded)

        #expect(try await registry.store.deleteAuthSession(id: "a"))

        try await feed.wait(for: .webSessionsEnded, after: before)
        #expect(try await other.authSessions().isEmpty)
    }
}
