import HummingbirdBcrypt
import NIOPosix
import WhatsAgentCore

/// bcrypt (`$2b$`) on NIO's blocking thread pool, never on the event loop or the cooperative pool: one hash costs
/// about 250 ms at cost 12.
public struct BcryptPasswordHasher: PasswordHasher {
    /// The daemon's cost (SPEC §11: at least 12).
    public static let defaultCost: UInt8 = 12
    public let cost: UInt8

    public init() {
        self.cost = Self.defaultCost
    }

    /// A cheaper cost, for tests only (production always uses ``defaultCost``).
    init(testingCost: UInt8) {
        self.cost = testingCost
    }

    public func hash(_ secret: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(secret, cost: cost) }
    }

    public func verify(_ secret: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(secret, hash: hash) }
    }
}
