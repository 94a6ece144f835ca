import Foundation

/// The web login (SPEC §11): first-run setup with a one-time token, password and recovery-code logins with a
/// lockout, browser sessions with idle and absolute expiry, and their management.
///
/// One password guards the daemon (there is one human). Secrets are hashed before they are stored, and no method
/// logs a secret. Password hashing runs through ``PasswordHasher`` (bcrypt off the event loop in the daemon).
public actor AuthService {
    public nonisolated let policy: AuthPolicy
    /// Signals that sessions ended (the event stream closes with 4401 when its own did).
    public nonisolated let endings = WebSessionEndings()
    private let registry: any AuthStore
    private let hasher: any PasswordHasher
    private let now: @Sendable () -> Date

    public init(
        workspaces: WorkspaceService,
        hasher: any PasswordHasher,
        policy: AuthPolicy = AuthPolicy(),
        now: @escaping @Sendable () -> Date = WallClock.now
    ) {
        self.registry = workspaces.registry
        // Sessions end through the store (this daemon's, or with a shared store another's): its feed wakes the streams.
        let endings = self.endings
        self.registry.changes.subscribe { change in
            if change == .webSessionsEnded { endings.notify() }
        }
        self.hasher = hasher
        self.policy = policy
        self.now = now
    }

    // MARK: - Setup

    /// Whether a password is set (false means first-run setup is pending).
    public func isPasswordSet() async throws -> Bool {
        try await self.registry.authCredential().passwordHash != nil
    }

    /// Called at each daemon start: without a password, replaces the setup token with a fresh one and returns it
    /// (for the setup link `whatsagent start` prints); with one, clears any stale setup token and returns nil.
    public func prepareSetupToken() async throws -> String? {
        let now = self.now()
        try await self.registry.deleteExpiredAuthSessions(now: now, idle: self.policy.sessionIdleTimeout)
        guard try await !self.isPasswordSet() else {
            try await self.registry.setSetupTokenHash(nil, now: now)
            return nil
        }
        let token = AuthSecret.token()
        try await self.registry.setSetupTokenHash(AuthSecret.sha256(token), now: now)
        return token
    }

    /// `whatsagent auth reset-password`: forgets the password and recovery code, ends every web session and returns a
    /// fresh setup token, so the next visit of the setup link sets a new password.
    public func resetPassword() async throws -> String {
        let token = AuthSecret.token()
        try await self.registry.resetAuth(setupTokenHash: AuthSecret.sha256(token), now: self.now())
        return token
    }

    /// First-run setup: with the current setup token, sets the password and returns a logged-in session and the
    /// one-time recovery code.
    /// - Throws: `invalid_state` when a password is already set, `invalid_credentials` for a wrong token,
    ///   `invalid_argument` for a password that breaks the length rules.
    public func setup(token: String, password: String, userAgent: String?) async throws -> AuthWithRecoveryCode {
        let credential = try await self.registry.authCredential()
        guard credential.passwordHash == nil else {
            throw DomainError(
                .invalidState,
                "a password is already set; log in instead, or run `whatsagent auth reset-password` in the owner's terminal to set a new one"
            )
        }
        guard let stored = credential.setupTokenHash, AuthSecret.constantTimeEqual(stored, AuthSecret.sha256(token)) else {
            throw Self.wrongSetupToken
        }
        try self.policy.check(password: password)
        let recoveryCode = AuthSecret.recoveryCode()
        let passwordHash = try await self.hasher.hash(password)
        let recoveryHash = try await self.hasher.hash(AuthSecret.normalizedRecoveryCode(recoveryCode))
        let consumed = try await self.registry.setPassword(
            hash: passwordHash,
            recoveryHash: recoveryHash,
            consumingSetupTokenHash: stored,
            now: self.now()
        )
        guard consumed else { throw Self.wrongSetupToken }
        return AuthWithRecoveryCode(issued: try await self.issueSession(userAgent: userAgent), recoveryCode: recoveryCode)
    }

    // MARK: - Login

    /// Logs in with the password.
    /// - Throws: `account_locked` while locked, `invalid_credentials` for a wrong password (counted towards the lock),
    ///   `authentication_required` before setup.
    public func login(password: String, userAgent: String?) async throws -> IssuedWebSession {
        try await self.checkNotLocked()
        guard let hash = try await self.registry.authCredential().passwordHash else { throw Self.setupPending }
        let matches = try await self.hasher.verify(password, hash: hash)
        try await self.checkNotLocked()  // failures recorded while this one was being verified may have locked the login
        guard matches else {
            throw try await self.failure(
                "wrong password; after \(self.policy.maximumFailures) failures in \(Int(self.policy.failureWindow)) s the login locks for \(Int(self.policy.lockDuration / 60)) minutes. Forgot it? Log in with the recovery code"
            )
        }
        try await self.registry.clearAuthFailures(now: self.now())
        return try await self.issueSession(userAgent: userAgent)
    }

    /// Logs in with the recovery code and sets a new password: every other session ends and a new recovery code
    /// replaces the used one.
    public func recover(recoveryCode: String, newPassword: String, userAgent: String?) async throws -> AuthWithRecoveryCode {
        try await self.checkNotLocked()
        let credential = try await self.registry.authCredential()
        guard credential.passwordHash != nil, let hash = credential.recoveryHash else { throw Self.setupPending }
        try self.policy.check(password: newPassword)
        let matches = try await self.hasher.verify(AuthSecret.normalizedRecoveryCode(recoveryCode), hash: hash)
        try await self.checkNotLocked()
        guard matches else {
            throw try await self.failure(
                "wrong recovery code; failures count towards the login lock. If the code is lost, run `whatsagent auth reset-password` in the owner's terminal"
            )
        }
        let newCode = AuthSecret.recoveryCode()
        let passwordHash = try await self.hasher.hash(newPassword)
        let recoveryHash = try await self.hasher.hash(AuthSecret.normalizedRecoveryCode(newCode))
        let now = self.now()
        _ = try await self.registry.setPassword(hash: passwordHash, recoveryHash: recoveryHash, consumingSetupTokenHash: nil, now: now)
        _ = try await self.registry.deleteAuthSessions(except: nil)
        try await self.registry.clearAuthFailures(now: now)
        return AuthWithRecoveryCode(issued: try await self.issueSession(userAgent: userAgent), recoveryCode: newCode)
    }

    /// Seconds until the login unlocks, nil when it is not locked.
    public func lockRemaining() async throws -> TimeInterval? {
        guard let until = try await self.registry.authCredential().lockedUntil else { return nil }
        let remaining = until.timeIntervalSince(self.now())
        return remaining > 0 ? remaining : nil
    }

    // MARK: - Sessions

    /// The live session whose cookie token is `token`, marking it used; nil when unknown, idle too long or past its
    /// absolute end (such a session is deleted).
    public func session(token: String) async throws -> WebSession? {
        guard !token.isEmpty, let record = try await self.registry.authSession(tokenHash: AuthSecret.sha256(token)) else { return nil }
        let now = self.now()
        if record.expiresAt <= now || now.timeIntervalSince(record.lastSeenAt) >= self.policy.sessionIdleTimeout {
            _ = try await self.registry.deleteAuthSession(id: record.id)
            return nil
        }
        var session = record.domain
        if now.timeIntervalSince(record.lastSeenAt) >= 60 {  // one write a minute at most per session
            try await self.registry.touchAuthSession(id: record.id, now: now)
            session.lastSeenAt = now
        }
        return session
    }

    /// Every live session, newest first.
    public func sessions() async throws -> [WebSession] {
        try await self.registry.deleteExpiredAuthSessions(now: self.now(), idle: self.policy.sessionIdleTimeout)
        return try await self.registry.authSessions().map(\.domain)
    }

    /// Ends one session.
    /// - Throws: `not_found` when there is no session with that id.
    public func revoke(id: String) async throws {
        guard try await self.registry.deleteAuthSession(id: id) else {
            throw DomainError(.notFound, "no web session with id '\(id)'; list them with GET /api/v1/auth/sessions")
        }
    }

    /// Ends every session except `id`; returns how many ended.
    public func revokeOthers(keeping id: String) async throws -> Int {
        let ended = try await self.registry.deleteAuthSessions(except: id)
        return ended
    }

    /// Changes the password of a logged-in human and ends every other session.
    public func changePassword(session id: String, current: String, new: String) async throws {
        try await self.checkNotLocked()
        guard let hash = try await self.registry.authCredential().passwordHash else { throw Self.setupPending }
        try self.policy.check(password: new)
        guard try await self.hasher.verify(current, hash: hash) else {
            throw try await self.failure("the current password is wrong; failures count towards the login lock")
        }
        let newHash = try await self.hasher.hash(new)
        let now = self.now()
        _ = try await self.registry.setPassword(hash: newHash, recoveryHash: nil, consumingSetupTokenHash: nil, now: now)
        _ = try await self.registry.deleteAuthSessions(except: id)
        try await self.registry.clearAuthFailures(now: now)
    }

    /// Replaces the recovery code of a logged-in human and returns the new one (shown once); the old code stops
    /// working. Needs the current password, so a stolen session alone cannot take over the recovery path.
    /// - Throws: `account_locked` while locked, `invalid_credentials` for a wrong password (counted towards the lock).
    public func newRecoveryCode(currentPassword: String) async throws -> String {
        try await self.checkNotLocked()
        guard let hash = try await self.registry.authCredential().passwordHash else { throw Self.setupPending }
        let matches = try await self.hasher.verify(currentPassword, hash: hash)
        try await self.checkNotLocked()
        guard matches else {
            throw try await self.failure("the current password is wrong; failures count towards the login lock")
        }
        let code = AuthSecret.recoveryCode()
        let recoveryHash = try await self.hasher.hash(AuthSecret.normalizedRecoveryCode(code))
        let now = self.now()
        try await self.registry.setRecoveryHash(recoveryHash, now: now)
        try await self.registry.clearAuthFailures(now: now)
        return code
    }

    // MARK: - Helpers

    private func issueSession(userAgent: String?) async throws -> IssuedWebSession {
        let now = self.now()
        let token = AuthSecret.token()
        let record = AuthSessionRecord(
            id: AuthSecret.base64URL(AuthSecret.randomBytes(12)),
            tokenHash: AuthSecret.sha256(token),
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now.addingTimeInterval(self.policy.sessionLifetime),
            userAgent: userAgent.map { String($0.prefix(300)) }
        )
        try await self.registry.insertAuthSession(record)
        return IssuedWebSession(session: record.domain, token: token)
    }

    private func checkNotLocked() async throws {
        if let remaining = try await self.lockRemaining() { throw Self.locked(remaining) }
    }

    /// Records a failure; returns the error to throw (the lock's when this failure locked the login).
    private func failure(_ message: String) async throws -> DomainError {
        let now = self.now()
        if let until = try await self.registry.recordAuthFailure(
            now: now,
            window: self.policy.failureWindow,
            maximum: self.policy.maximumFailures,
            lockFor: self.policy.lockDuration
        ) {
            return Self.locked(until.timeIntervalSince(now))
        }
        return DomainError(.invalidCredentials, message)
    }

    static func locked(_ remaining: TimeInterval) -> DomainError {
        let seconds = max(1, Int(remaining.rounded(.up)))
        let text = seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
        return DomainError(
            .accountLocked,
            "too many failed logins: the web login is locked for another \(text); wait, or run `whatsagent auth reset-password` in the owner's terminal"
        )
    }

    private static let wrongSetupToken = DomainError(
        .invalidCredentials,
        "the setup token is wrong or was replaced by a newer start; open the setup link the last `whatsagent start` printed, or run `whatsagent auth reset-password` for a fresh one"
    )

    private static let setupPending = DomainError(
        .authenticationRequired,
        "no password is set yet; open the setup link `whatsagent start` printed in the owner's terminal"
    )
}
