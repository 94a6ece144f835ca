import Foundation

/// `POST /api/v1/auth/setup`: first-run setup with the one-time token from the setup link.
public struct AuthSetupRequest: Codable, Sendable, Equatable {
    public var token: String
    public var password: String

    public init(token: String, password: String) {
        self.token = token
        self.password = password
    }
}

/// `POST /api/v1/auth/login`.
public struct AuthLoginRequest: Codable, Sendable, Equatable {
    public var password: String

    public init(password: String) {
        self.password = password
    }
}

/// `POST /api/v1/auth/recover`: log in with the recovery code and set a new password.
public struct AuthRecoverRequest: Codable, Sendable, Equatable {
    public var recoveryCode: String
    public var newPassword: String

    public init(recoveryCode: String, newPassword: String) {
        self.recoveryCode = recoveryCode
        self.newPassword = newPassword
    }
}

/// `POST /api/v1/auth/password`: change the password (other sessions end).
public struct ChangePasswordRequest: Codable, Sendable, Equatable {
    public var currentPassword: String
    public var newPassword: String

    public init(currentPassword: String, newPassword: String) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }
}

/// `POST /api/v1/auth/recovery-code`: replace the recovery code while logged in; needs the current password.
public struct NewRecoveryCodeRequest: Codable, Sendable, Equatable {
    public var currentPassword: String

    public init(currentPassword: String) {
        self.currentPassword = currentPassword
    }
}

/// The answer of `POST /api/v1/auth/recovery-code`: the new recovery code, shown once.
public struct NewRecoveryCodeResult: Codable, Sendable, Equatable {
    public var recoveryCode: String

    public init(recoveryCode: String) {
        self.recoveryCode = recoveryCode
    }
}

/// One browser session of the web login.
public struct AuthSessionInfo: Codable, Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var userAgent: String?
    /// True for the session that made the request.
    public var current: Bool

    public init(id: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date, userAgent: String?, current: Bool) {
        self.id = id
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.userAgent = userAgent
        self.current = current
    }
}

/// `GET /api/v1/auth/session`: whether the browser is logged in (then with its CSRF token) or setup is pending.
public struct AuthState: Codable, Sendable, Equatable {
    public var authenticated: Bool
    public var setupRequired: Bool
    public var csrfToken: String?
    public var session: AuthSessionInfo?

    public init(authenticated: Bool, setupRequired: Bool, csrfToken: String? = nil, session: AuthSessionInfo? = nil) {
        self.authenticated = authenticated
        self.setupRequired = setupRequired
        self.csrfToken = csrfToken
        self.session = session
    }
}

/// The answer of setup, login and recovery: the new session (its cookie is set), its CSRF token, where to go next,
/// and — after setup and recovery only — the new one-time recovery code.
public struct AuthLoginResult: Codable, Sendable, Equatable {
    public var csrfToken: String
    public var session: AuthSessionInfo
    /// The validated `?return=` path (same-origin, starting with a single `/`), else `/`.
    public var returnTo: String
    public var recoveryCode: String?

    public init(csrfToken: String, session: AuthSessionInfo, returnTo: String, recoveryCode: String? = nil) {
        self.csrfToken = csrfToken
        self.session = session
        self.returnTo = returnTo
        self.recoveryCode = recoveryCode
    }
}

/// `GET /api/v1/auth/sessions`.
public struct AuthSessionList: Codable, Sendable, Equatable {
    public var sessions: [AuthSessionInfo]

    public init(sessions: [AuthSessionInfo]) {
        self.sessions = sessions
    }
}

/// `POST /api/v1/auth/sessions/sign-out-others`.
public struct RevokedSessions: Codable, Sendable, Equatable {
    public var revoked: Int

    public init(revoked: Int) {
        self.revoked = revoked
    }
}

/// `POST /api/v1/auth/reset-password` (owner socket only): the fresh setup link.
public struct PasswordResetResult: Codable, Sendable, Equatable {
    public var setupURL: String

    public init(setupURL: String) {
        self.setupURL = setupURL
    }
}
