import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore

/// A salted SHA-256 hasher, so the service's rules are tested quickly; bcrypt itself is tested in the server tests.
private struct SaltedSHA256Hasher: PasswordHasher {
    func hash(_ secret: String) async throws -> String {
        let salt = AuthSecret.token()
        return "test$\(salt)$\(AuthSecret.sha256(salt + secret))"
    }

    func verify(_ secret: String, hash: String) async throws -> Bool {
        let parts = hash.split(separator: "$").map(String.init)
        guard parts.count == 3 else { return false }
        return AuthSecret.constantTimeEqual(parts[2], AuthSecret.sha256(parts[1] + secret))
    }
}

private func makeAuth(clock: TestClock = TestClock()) throws -> (AuthService, WorkspaceService) {
    let workspaces = try makeInMemoryService(clock: clock)
    return (AuthService(workspaces: workspaces, hasher: SaltedSHA256Hasher(), now: { clock.now }), workspaces)
}

/// Sets the password `correct horse` through first-run setup; returns the recovery code.
private func setUp(_ auth: AuthService, password: String = "correct horse") async throws -> AuthWithRecoveryCode {
    let token = try #require(try await auth.prepareSetupToken())
    return try await auth.setup(token: token, password: password, userAgent: "test")
}

@Suite struct AuthServiceTests {
    @Test func setupNeedsTheCurrentTokenWhichIsStoredOnlyHashed() async throws {
        let (auth, workspaces) = try makeAuth()
        let first = try #require(try await auth.prepareSetupToken())
        let token = try #require(try await auth.prepareSetupToken())  // a new start replaces the token

        let stored = try await workspaces.registry.authCredential().setupTokenHash
        #expect(stored == AuthSecret.sha256(token))
        #expect(stored != token)
        let stale = await #expect(throws: DomainError.self) { try await auth.setup(token: first, password: "long enough", userAgent: nil) }
        #expect(stale?.code == .invalidCredentials)
        let wrong = await #expect(throws: DomainError.self) { try await auth.setup(token: "nope", password: "long enough", userAgent: nil) }
        #expect(wrong?.code == .invalidCredentials)
        #expect(try await !auth.isPasswordSet())

        let result = try await auth.setup(token: token, password: "long enough", userAgent: nil)

        #expect(try await auth.isPasswordSet())
        #expect(result.recoveryCode.count == 39)  // 32 base32 characters in 8 groups of 4
        #expect(try await workspaces.registry.authCredential().setupTokenHash == nil)
        #expect(try await workspaces.registry.authCredential().recoveryHash?.contains(result.recoveryCode) == false)
        let again = await #expect(throws: DomainError.self) { try await auth.setup(token: token, password: "long enough", userAgent: nil) }
        #expect(again?.code == .invalidState)
        #expect(try await auth.prepareSetupToken() == nil)  // with a password, a start issues no setup token
    }

    @Test func passwordsMustHaveAReasonableLength() async throws {
        let (auth, _) = try makeAuth()
        let token = try #require(try await auth.prepareSetupToken())

        let short = await #expect(throws: DomainError.self) { try await auth.setup(token: token, password: "short", userAgent: nil) }
        let long = await #expect(throws: DomainError.self) {
            try await auth.setup(token: token, password: String(repeating: "é", count: 40), userAgent: nil)
        }

        #expect(short?.code == .invalidArgument)
        #expect(long?.code == .invalidArgument)
        #expect(long?.message.contains("72 bytes") == true)
    }

    @Test func loginIssuesASessionAndAWrongPasswordIsRefused() async throws {
        let (auth, workspaces) = try makeAuth()
        _ = try await setUp(auth)

        let issued = try await auth.login(password: "correct horse", userAgent: "Firefox")
        let wrong = await #expect(throws: DomainError.self) { try await auth.login(password: "wrong horse", userAgent: nil) }

        #expect(wrong?.code == .invalidCredentials)
        #expect(try await auth.session(token: issued.token)?.id == issued.session.id)
        #expect(try await auth.session(token: "forged") == nil)
        #expect(try await workspaces.registry.authSessions().allSatisfy { $0.tokenHash != issued.token })
        #expect(issued.csrfToken == AuthSecret.csrfToken(forSession: issued.token))
        #expect(issued.csrfToken != issued.token)
    }

    @Test func fiveFailuresInSixtySecondsLockTheLoginForFifteenMinutes() async throws {
        let clock = TestClock()
        let (auth, _) = try makeAuth(clock: clock)
        _ = try await setUp(auth)

        for _ in 0..<4 { _ = try? await auth.login(password: "wrong", userAgent: nil) }
        clock.advance(seconds: 30)
        let fifth = await #expect(throws: DomainError.self) { try await auth.login(password: "wrong", userAgent: nil) }
        let right = await #expect(throws: DomainError.self) { try await auth.login(password: "correct horse", userAgent: nil) }
        let recovery = await #expect(throws: DomainError.self) {
            try await auth.recover(recoveryCode: "ANY", newPassword: "another one", userAgent: nil)
        }

        #expect(fifth?.code == .accountLocked)
        #expect(right?.code == .accountLocked)
        #expect(right?.message.contains("15 min") == true || right?.message.contains("14 min") == true)
        #expect(recovery?.code == .accountLocked)
        clock.advance(seconds: 15 * 60 - 1)
        #expect(try await auth.lockRemaining() != nil)
        clock.advance(seconds: 2)
        #expect(try await auth.lockRemaining() == nil)
        _ = try await auth.login(password: "correct horse", userAgent: nil)
    }

    @Test func failuresOutsideTheWindowDoNotLock() async throws {
        let clock = TestClock()
        let (auth, _) = try makeAuth(clock: clock)
        _ = try await setUp(auth)

        for _ in 0..<4 { _ = try? await auth.login(password: "wrong", userAgent: nil) }
        clock.advance(seconds: 61)
        let fifth = await #expect(throws: DomainError.self) { try await auth.login(password: "wrong", userAgent: nil) }

        #expect(fifth?.code == .invalidCredentials)
        _ = try await auth.login(password: "correct horse", userAgent: nil)
    }

    @Test func recoveryRotatesTheCodeSetsThePasswordAndEndsOtherSessions() async throws {
        let (auth, _) = try makeAuth()
        let setup = try await setUp(auth)
        let other = try await auth.login(password: "correct horse", userAgent: nil)

        let recovered = try await auth.recover(
            recoveryCode: setup.recoveryCode.lowercased().replacingOccurrences(of: "-", with: " "),
            newPassword: "new password",
            userAgent: nil
        )
        let reused = await #expect(throws: DomainError.self) {
            try await auth.recover(recoveryCode: setup.recoveryCode, newPassword: "third password", userAgent: nil)
        }

        #expect(recovered.recoveryCode != setup.recoveryCode)
        #expect(reused?.code == .invalidCredentials)
        #expect(try await auth.session(token: other.token) == nil)
        #expect(try await auth.session(token: setup.issued.token) == nil)
        #expect(try await auth.session(token: recovered.issued.token) != nil)
        _ = try await auth.login(password: "new password", userAgent: nil)
        _ = try await auth.recover(recoveryCode: recovered.recoveryCode, newPassword: "fourth password", userAgent: nil)
    }

    @Test func sessionsEndWhenIdleOrPastTheirLifetime() async throws {
        let clock = TestClock()
        let (auth, _) = try makeAuth(clock: clock)
        _ = try await setUp(auth)
        let idle = try await auth.login(password: "correct horse", userAgent: nil)
        let busy = try await auth.login(password: "correct horse", userAgent: nil)

        for _ in 0..<4 {  // used every 6 days: never idle for 7 days
            clock.advance(days: 6)
            #expect(try await auth.session(token: busy.token) != nil)
        }
        #expect(try await auth.session(token: idle.token) == nil)
        clock.advance(days: 5)
        #expect(try await auth.session(token: busy.token) != nil)
        clock.advance(days: 1.5)  // past the 30-day absolute lifetime
        #expect(try await auth.session(token: busy.token) == nil)
    }

    @Test func sessionsAreListedAndRevoked() async throws {
        let (auth, _) = try makeAuth()
        let setup = try await setUp(auth)
        let second = try await auth.login(password: "correct horse", userAgent: "phone")
        let third = try await auth.login(password: "correct horse", userAgent: "laptop")

        #expect(try await auth.sessions().count == 3)
        try await auth.revoke(id: second.session.id)
        let missing = await #expect(throws: DomainError.self) { try await auth.revoke(id: second.session.id) }
        #expect(missing?.code == .notFound)
        #expect(try await auth.revokeOthers(keeping: third.session.id) == 1)
        #expect(try await auth.sessions().map(\.id) == [third.session.id])
        #expect(try await auth.session(token: setup.issued.token) == nil)
    }

    @Test func changingThePasswordEndsOtherSessions() async throws {
        let (auth, _) = try makeAuth()
        let setup = try await setUp(auth)
        let other = try await auth.login(password: "correct horse", userAgent: nil)

        let wrong = await #expect(throws: DomainError.self) {
            try await auth.changePassword(session: setup.issued.session.id, current: "nope", new: "brand new pass")
        }
        try await auth.changePassword(session: setup.issued.session.id, current: "correct horse", new: "brand new pass")

        #expect(wrong?.code == .invalidCredentials)
        #expect(try await auth.session(token: other.token) == nil)
        #expect(try await auth.session(token: setup.issued.token) != nil)
        _ = try await auth.login(password: "brand new pass", userAgent: nil)
    }

    @Test func aNewRecoveryCodeNeedsThePasswordAndReplacesTheOldOne() async throws {
        let (auth, workspaces) = try makeAuth()
        let setup = try await setUp(auth)
        let before = try await workspaces.registry.authCredential().recoveryHash

        let wrong = await #expect(throws: DomainError.self) { try await auth.newRecoveryCode(currentPassword: "nope") }
        #expect(wrong?.code == .invalidCredentials)
        #expect(try await workspaces.registry.authCredential().recoveryHash == before, "a refused request changes nothing")

        let code = try await auth.newRecoveryCode(currentPassword: "correct horse")
        let stored = try #require(try await workspaces.registry.authCredential().recoveryHash)
        #expect(code != setup.recoveryCode)
        #expect(!stored.contains(code) && stored != before, "only a hash of the new code is stored")
        #expect(try await auth.session(token: setup.issued.token) != nil, "the session that asked stays")
        let old = await #expect(throws: DomainError.self) {
            try await auth.recover(recoveryCode: setup.recoveryCode, newPassword: "another one", userAgent: nil)
        }
        #expect(old?.code == .invalidCredentials)
        _ = try await auth.recover(recoveryCode: code, newPassword: "another one", userAgent: nil)
    }

    @Test func wrongPasswordsForANewRecoveryCodeCountTowardsTheLock() async throws {
        let (auth, _) = try makeAuth()
        _ = try await setUp(auth)

        for _ in 0..<4 { _ = try? await auth.newRecoveryCode(currentPassword: "wrong") }
        let fifth = await #expect(throws: DomainError.self) { try await auth.newRecoveryCode(currentPassword: "wrong") }
        let right = await #expect(throws: DomainError.self) { try await auth.newRecoveryCode(currentPassword: "correct horse") }
        let login = await #expect(throws: DomainError.self) { try await auth.login(password: "correct horse", userAgent: nil) }

        #expect(fifth?.code == .accountLocked)
        #expect(right?.code == .accountLocked)
        #expect(login?.code == .accountLocked)
    }

    @Test func resetPasswordClearsEverythingAndIssuesAFreshSetupToken() async throws {
        let (auth, _) = try makeAuth()
        let setup = try await setUp(auth)

        let token = try await auth.resetPassword()

        #expect(try await !auth.isPasswordSet())
        #expect(try await auth.session(token: setup.issued.token) == nil)
        let login = await #expect(throws: DomainError.self) { try await auth.login(password: "correct horse", userAgent: nil) }
        #expect(login?.code == .authenticationRequired)
        _ = try await auth.setup(token: token, password: "after reset", userAgent: nil)
    }

    @Test func authStateSurvivesReopeningTheDatabase() async throws {
        let home = try TemporaryHome()
        let clock = TestClock()
        let first = try makeFileService(home: home, clock: clock)
        let auth = AuthService(workspaces: first, hasher: SaltedSHA256Hasher(), now: { clock.now })
        let setup = try await setUp(auth)
        try await first.registry.close()

        let reopened = AuthService(workspaces: try makeFileService(home: home, clock: clock), hasher: SaltedSHA256Hasher(), now: { clock.now })

        #expect(try await reopened.isPasswordSet())
        #expect(try await reopened.session(token: setup.issued.token) != nil)
        _ = try await reopened.login(password: "correct horse", userAgent: nil)
    }

    @Test func recoveryCodesAndTokensHaveTheirShapes() {
        let code = AuthSecret.recoveryCode()
        #expect(code.split(separator: "-").count == 8)
        #expect(code.split(separator: "-").allSatisfy { $0.count == 4 })
        #expect(code.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567-".contains($0) })
        #expect(AuthSecret.token().count == 43)
        #expect(AuthSecret.token() != AuthSecret.token())
        #expect(AuthSecret.base32([0xFF, 0x00]) == "74AA")
        #expect(AuthSecret.constantTimeEqual("abc", "abc"))
        #expect(!AuthSecret.constantTimeEqual("abc", "abd"))
        #expect(!AuthSecret.constantTimeEqual("abc", "abcd"))
    }

    /// Sessions deleted in the store — by this daemon, or by another sharing the store — wake the event streams
    /// through the store's change feed (issue 19), and a password change ends the other sessions that way too.
    @Test func sessionsEndedInTheStoreWakeTheStreamsThroughTheFeed() async throws {
        let (auth, workspaces) = try makeAuth()
        _ = try await setUp(auth)
        let kept = try await auth.login(password: "correct horse", userAgent: "kept")
        let other = try await auth.login(password: "correct horse", userAgent: "other")
        let (endings, key) = auth.endings.watch()
        defer { auth.endings.stopWatching(key) }

        // A commit past this daemon's services, as another daemon's sign-out would be.
        #expect(try await workspaces.registry.deleteAuthSession(id: other.session.id))
        try await Self.next(endings)
        #expect(try await auth.session(token: other.token) == nil)

        let third = try await auth.login(password: "correct horse", userAgent: "third")
        try await auth.changePassword(session: kept.session.id, current: "correct horse", new: "battery staple")
        try await Self.next(endings)
        #expect(try await auth.session(token: third.token) == nil)
        #expect(try await auth.session(token: kept.token) != nil)
    }

    /// The next wake-up of an endings stream, failing after 10 seconds instead of hanging.
    private static func next(_ endings: AsyncStream<Void>) async throws {
        let woke = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = endings.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(woke, "no wake-up within 10 s")
    }
}
