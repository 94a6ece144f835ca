import Crypto
import Foundation

/// A session token: 256 random bits, prefixed with the workspace id so the daemon knows which database to look in.
///
/// `wa1_<workspace id>_<43 base64url characters>`. Only its SHA-256 is stored; the token dies with its session.
public struct SessionToken: Sendable, Equatable, CustomStringConvertible {
    public let rawValue: String
    public let workspaceID: WorkspaceID

    /// A fresh token for a session in `workspace`.
    public static func generate(for workspace: WorkspaceID) -> SessionToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let random = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return SessionToken(rawValue: "wa1_\(workspace.rawValue)_\(random)", workspaceID: workspace)
    }

    /// Parses a presented token; nil when it does not have the token shape.
    public init?(presented: String) {
        let parts = presented.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "wa1", parts[1].count == WorkspaceID.length, parts[2].count == 43,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(rawValue: presented, workspaceID: WorkspaceID(rawValue: String(parts[1])))
    }

    private init(rawValue: String, workspaceID: WorkspaceID) {
        self.rawValue = rawValue
        self.workspaceID = workspaceID
    }

    /// What is stored: the hex SHA-256 of the token.
    public var hash: String {
        SHA256.hash(data: Data(self.rawValue.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Never prints the secret.
    public var description: String { "wa1_\(self.workspaceID.rawValue)_…" }
}
