import Foundation

/// `GET|PUT|DELETE /api/v1/workspaces/{workspace}/colleague-protocol`: the colleague protocol the workspace's
/// launches inject (SPEC §6.4).
public struct WorkspaceColleagueProtocol: Codable, Sendable, Equatable {
    /// The text in effect, Markdown: the workspace's own, or the built-in one.
    public var text: String
    /// True when the workspace uses the built-in text (nothing stored, or reset).
    public var isDefault: Bool
    /// The built-in text, to compare with or start from.
    public var defaultText: String
    /// The longest text the workspace may store, in characters.
    public var maxLength: Int

    public init(text: String, isDefault: Bool, defaultText: String, maxLength: Int) {
        self.text = text
        self.isDefault = isDefault
        self.defaultText = defaultText
        self.maxLength = maxLength
    }
}

/// `PUT /api/v1/workspaces/{workspace}/colleague-protocol`.
public struct SetColleagueProtocolRequest: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}
