import Foundation

/// The fixed rules of the web login (SPEC §11). Documented in docs/security.md.
public struct AuthPolicy: Sendable {
    /// Shortest accepted password, in characters.
    public var minimumPasswordLength = 8
    /// Longest accepted password, in UTF-8 bytes: bcrypt ignores everything after 72 bytes, so longer is refused
    /// rather than silently truncated.
    public var maximumPasswordBytes = 72
    /// Failed logins (password or recovery code) within ``failureWindow`` that lock the login.
    public var maximumFailures = 5
    public var failureWindow: TimeInterval = 60
    /// How long the login stays locked.
    public var lockDuration: TimeInterval = 15 * 60
    /// A session unused for this long ends (idle timeout).
    public var sessionIdleTimeout: TimeInterval = 7 * 24 * 3600
    /// A session ends this long after login whatever its use (absolute timeout).
    public var sessionLifetime: TimeInterval = 30 * 24 * 3600

    public init() {}

    /// Refuses a password that breaks the length rules, saying what is accepted.
    public func check(password: String) throws {
        // bcrypt reads the password as a C string: a NUL would end it there, silently.
        try FreeText.rejectNUL(password, field: "password")
        if FreeText.length(password) < self.minimumPasswordLength {
            throw DomainError(
                .invalidArgument,
                "the password is too short: use at least \(self.minimumPasswordLength) characters"
            )
        }
        if password.utf8.count > self.maximumPasswordBytes {
            throw DomainError(
                .invalidArgument,
                "the password is too long: use at most \(self.maximumPasswordBytes) bytes (bcrypt ignores the rest)"
            )
        }
    }
}
