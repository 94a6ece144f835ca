import Foundation

/// A browser session of the web login. Its secret token lives only in the browser's cookie; the daemon stores the
/// token's SHA-256 and this public ``id`` (used to list and revoke sessions).
public struct WebSession: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var lastSeenAt: Date
    /// The absolute end; the idle timeout may end it earlier.
    public var expiresAt: Date
    public var userAgent: String?

    public init(id: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date, userAgent: String?) {
        self.id = id
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.userAgent = userAgent
    }
}

/// A session that was just created: the cookie token is returned once and never stored.
public struct IssuedWebSession: Sendable {
    public var session: WebSession
    /// The secret the browser keeps in its cookie.
    public var token: String
    /// The session's CSRF token (derived from ``token``).
    public var csrfToken: String { AuthSecret.csrfToken(forSession: self.token) }
}

/// The outcome of first-run setup or a recovery login: a logged-in session and the one-time recovery code.
public struct AuthWithRecoveryCode: Sendable {
    public var issued: IssuedWebSession
    /// Shown once; only its bcrypt hash is stored.
    public var recoveryCode: String
}
