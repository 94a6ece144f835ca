import Foundation

/// A typed identifier: a short random lowercase hex string wrapped so that workspace, repo, agent and session ids
/// cannot be mixed up.
public protocol Identifier: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
    /// Number of hex characters of a fresh id.
    static var length: Int { get }
}

extension Identifier {
    /// A fresh random id.
    public static func generate() -> Self {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return Self(rawValue: String((0..<Self.length).map { _ in digits[Int(generator.next() % 16)] }))
    }

    public var description: String { self.rawValue }
}

/// Workspace ids are short (12 hex characters) so that socket paths under `<home>/workspaces/<id>/run/` stay within
/// the 107-byte limit of Unix socket addresses.
public struct WorkspaceID: Identifier {
    public static let length = 12
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

public struct RepoID: Identifier {
    public static let length = 16
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

public struct AgentID: Identifier {
    public static let length = 16
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

public struct SessionID: Identifier {
    public static let length = 16
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
