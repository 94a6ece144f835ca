import Foundation

/// Web accounts and sessions, the setup token, sign-in failures.
/// A store protocol of the daemon's registry (issue 19, docs/store.md).
package protocol AuthStore: Sendable {
    /// The registry's change feed: `webSessionsEnded` after web sessions were deleted.
    var changes: any StoreChangeFeed { get }

    /// The single credential row; an empty one when nothing was ever stored.
    func authCredential() async throws -> AuthCredentialRecord

    /// Replaces the setup token (nil clears it) without touching the password. Host-local on a shared store: the
    /// token of the link this host's start printed.
    func setSetupTokenHash(_ hash: String?, now: Date) async throws

    /// Stores a new password and recovery code hash. With `consumingSetupTokenHash`, only if that setup token is
    /// still the current one and no password is set (so two setups cannot both win); returns false otherwise.
    func setPassword(hash: String, recoveryHash: String?, consumingSetupTokenHash: String?, now: Date) async throws -> Bool

    /// Replaces the recovery code hash.
    func setRecoveryHash(_ hash: String, now: Date) async throws

    /// Forgets the password and recovery code, ends every session and clears the lock; stores a fresh setup token.
    func resetAuth(setupTokenHash: String, now: Date) async throws

    /// Records a failed login and locks when `maximum` failures fell within `window`. Returns the lock's end, if locked.
    func recordAuthFailure(now: Date, window: TimeInterval, maximum: Int, lockFor duration: TimeInterval) async throws -> Date?

    /// Forgets failed logins and any lock (after a successful login).
    func clearAuthFailures(now: Date) async throws

    func insertAuthSession(_ record: AuthSessionRecord) async throws

    func authSession(tokenHash: String) async throws -> AuthSessionRecord?

    func authSessions() async throws -> [AuthSessionRecord]

    func touchAuthSession(id: String, now: Date) async throws

    /// Deletes one session; false when there was none with that id.
    func deleteAuthSession(id: String) async throws -> Bool

    /// Deletes every session but `id` (all of them when nil); returns how many were deleted.
    func deleteAuthSessions(except id: String?) async throws -> Int

    /// Deletes sessions past their absolute end or idle longer than `idle`.
    func deleteExpiredAuthSessions(now: Date, idle: TimeInterval) async throws
}
