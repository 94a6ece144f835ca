import Foundation

/// The web sign-in's single credential row (the store reads and writes it whole).
package struct AuthCredentialRecord: Codable, Sendable {
    package var id = 1
    package var passwordHash: String?
    package var recoveryHash: String?
    package var setupTokenHash: String?
    package var lockedUntil: Date?
    package var updatedAt: Date

    package init(passwordHash: String? = nil, recoveryHash: String? = nil, setupTokenHash: String? = nil, lockedUntil: Date? = nil, updatedAt: Date) {
        (self.passwordHash, self.recoveryHash, self.setupTokenHash, self.lockedUntil, self.updatedAt) =
            (passwordHash, recoveryHash, setupTokenHash, lockedUntil, updatedAt)
    }
}

/// A web session as stored (its token only as a hash).
package struct AuthSessionRecord: Codable, Sendable {
    package var id: String
    package var tokenHash: String
    package var createdAt: Date
    package var lastSeenAt: Date
    package var expiresAt: Date
    package var userAgent: String?

    package init(id: String, tokenHash: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date, userAgent: String?) {
        (self.id, self.tokenHash, self.createdAt, self.lastSeenAt, self.expiresAt, self.userAgent) =
            (id, tokenHash, createdAt, lastSeenAt, expiresAt, userAgent)
    }

    package var domain: WebSession {
        WebSession(id: self.id, createdAt: self.createdAt, lastSeenAt: self.lastSeenAt, expiresAt: self.expiresAt, userAgent: self.userAgent)
    }
}
