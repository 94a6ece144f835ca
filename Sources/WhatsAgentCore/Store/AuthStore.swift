import Foundation

/// Web accounts and sessions, the setup token, sign-in failures.
/// A store protocol of the daemon's registry (issue 19, docs/store.md).
package protocol AuthStore: Sendable {
    /// The registry's change feed: `webSessionsEnded` after web sessions were deleted.
    var changes: any StoreChangeFeed { get }

    /// The single credential row; an empty one when nothing was ever stored.
    nonisolated(nonsending) func authCredential() async throws -> AuthCredentialRecord

    /// Replaces the setup token (nil clears it) without touching the password. Host-local on a shared store: the
    /// token of the link this host's start printed.
    nonisolated(nonsending) func setSetupTokenHash(_ hash: String?, now: Date) async throws

    /// Stores a new password and recovery code hash. With `consumingSetupTokenHash`, only if that setup token is
    /// still the current one and no password is set (so two setups cannot both win); returns false otherwise.
    nonisolated(nonsending) func setPassword(hash: String, recoveryHash: String?, consumingSetupTokenHash: String?, now: Date) async throws -> Bool

    /// Replaces the recovery code hash.
    nonisolated(nonsending) func setRecoveryHash(_ hash: String, now: Date) async throws

    /// Forgets the password and recovery code, ends every session and clears the lock; stores a fresh setup token.
    nonisolated(nonsending) func resetAuth(setupTokenHash: String, now: Date) async throws

    /// Records a failed login and locks when `maximum` failures fell within `window`. Returns the lock's end, if locked.
    nonisolated(nonsending) func recordAuthFailure(
        now: Date,
        window: TimeInterval,
        maximum: Int,
        lockFor duration: TimeInterval
    ) async throws -> Date?

    /// Forgets failed logins and any lock (after a successful login).
    nonisolated(nonsending) func clearAuthFailures(now: Date) async throws

    nonisolated(nonsending) func insertAuthSession(_ record: AuthSessionRecord) async throws

    nonisolated(nonsending) func authSession(tokenHash: String) async throws -> AuthSessionRecord?

    nonisolated(nonsending) func authSessions() async throws -> [AuthSessionRecord]

    nonisolated(nonsending) func touchAuthSession(id: String, now: Date) async throws

    /// Deletes one session; false when there was none with that id.
    nonisolated(nonsending) func deleteAuthSession(id: String) async throws -> Bool

    /// Deletes every session but `id` (all of them when nil); returns how many were deleted.
    nonisolated(nonsending) func deleteAuthSessions(except id: String?) async throws -> Int

    /// Deletes sessions past their absolute end or idle longer than `idle`.
    nonisolated(nonsending) func deleteExpiredAuthSessions(now: Date, idle: TimeInterval) async throws
}
