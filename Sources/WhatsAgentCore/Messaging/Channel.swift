import Foundation

/// A channel of a workspace (SPEC §7.3). `#shared` exists in every workspace and every agent is in it.
public struct Channel: Equatable, Sendable {
    public static let sharedName = "shared"

    public var id: Int64
    public var name: String
    public var createdBy: String
    public var createdAt: Date

    /// Accepts `#name` or `name`; validates like repo and agent names.
    public static func normalize(_ raw: String?) throws -> String {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return Self.sharedName }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        let bare = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        return try Names.validateSegment(bare, kind: "channel").lowercased()
    }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: Int64,
        name: String,
        createdBy: String,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// A channel as one agent sees it.
public struct ChannelSummary: Equatable, Sendable {
    public var channel: Channel
    public var isMember: Bool
    public var unread: Int
    public var posts: Int

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        channel: Channel,
        isMember: Bool,
        unread: Int,
        posts: Int
    ) {
        self.channel = channel
        self.isMember = isMember
        self.unread = unread
        self.posts = posts
    }

    /// The summary `viewer` sees (nil: the human, member of every channel) of a channel it `joined` or not, with its
    /// unread count as its member row gives it: everyone is a member of `#shared`, and a non-member has nothing unread.
    package init(channel: Channel, viewer: AgentID?, joined: Bool, unread: Int, posts: Int) {
        let isMember = viewer == nil || channel.name == Channel.sharedName || joined
        self.init(channel: channel, isMember: isMember, unread: isMember ? unread : 0, posts: posts)
    }
}

/// A post in a channel; replies carry the id of their thread's root.
public struct ChannelPost: Equatable, Sendable {
    public var id: Int64
    public var channelID: Int64
    public var channelName: String
    public var fromAgentID: AgentID?
    public var fromAddress: String
    public var rootID: Int64?
    public var body: String
    public var sentAt: Date

    /// Channel post ids are `c<number>` on every interface, apart from direct message ids.
    public var wireID: String { "c\(self.id)" }
    public var threadID: String { "channel:\(self.channelName):c\(self.rootID ?? self.id)" }

    /// Parses `c12` (or `12`) into the numeric id.
    public static func parseWireID(_ text: String) -> Int64? {
        Int64(text.hasPrefix("c") ? String(text.dropFirst()) : text)
    }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: Int64,
        channelID: Int64,
        channelName: String,
        fromAgentID: AgentID? = nil,
        fromAddress: String,
        rootID: Int64? = nil,
        body: String,
        sentAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.channelName = channelName
        self.fromAgentID = fromAgentID
        self.fromAddress = fromAddress
        self.rootID = rootID
        self.body = body
        self.sentAt = sentAt
    }
}
