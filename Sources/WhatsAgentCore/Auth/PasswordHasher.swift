/// Hashes and verifies passwords and recovery codes. The daemon's implementation is bcrypt (cost ≥ 12) run off the
/// event loop; it lives in WhatsAgentServer because its package is a Hummingbird one.
public protocol PasswordHasher: Sendable {
    /// A salted hash of `secret` in a self-describing format (for bcrypt `$2b$12$…`).
    func hash(_ secret: String) async throws -> String
    /// Whether `secret` matches `hash`, compared in constant time.
    func verify(_ secret: String, hash: String) async throws -> Bool
}
