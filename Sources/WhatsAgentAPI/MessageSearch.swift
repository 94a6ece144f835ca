import Foundation

/// A direct or broadcast message found by `GET /api/v1/workspaces/{workspace}/messages/search`.
public struct MessageSearchHitResponse: Codable, Sendable, Equatable {
    public var id: String
    /// `direct` or `broadcast` (a broadcast is listed once, by its first recipient's copy).
    public var kind: String
    public var from: String
    public var to: String
    public var threadId: String
    /// A ``MessageDeliveryState``: `queued`, `pushed`, `surfaced`, `acknowledged`, `rejected` or `held`.
    public var state: String
    public var sentAt: Date
    /// The body from 100 characters before the first match to 140 after it, `…` where cut.
    public var preview: String
    /// bm25 score: lower is a better match; results come best first.
    public var rank: Double

    public init(
        id: String,
        kind: String,
        from: String,
        to: String,
        threadId: String,
        state: String,
        sentAt: Date,
        preview: String,
        rank: Double
    ) {
        self.id = id
        self.kind = kind
        self.from = from
        self.to = to
        self.threadId = threadId
        self.state = state
        self.sentAt = sentAt
        self.preview = preview
        self.rank = rank
    }
}

/// Results of a direct-message search, best match first.
public struct MessageSearchResults: Codable, Sendable, Equatable {
    /// The query as searched (trimmed).
    public var query: String
    public var results: [MessageSearchHitResponse]
    /// How many messages match in all.
    public var total: Int
    /// More match than `results` holds: raise `limit` or narrow the query.
    public var truncated: Bool

    public init(query: String, results: [MessageSearchHitResponse], total: Int, truncated: Bool) {
        self.query = query
        self.results = results
        self.total = total
        self.truncated = truncated
    }
}

/// A channel post found by `GET /api/v1/workspaces/{workspace}/channels/search`.
public struct ChannelSearchHitResponse: Codable, Sendable, Equatable {
    /// `c<number>`.
    public var id: String
    public var channel: String
    public var from: String
    /// The thread's root post id; absent on a root.
    public var rootId: String?
    public var threadId: String
    public var sentAt: Date
    public var preview: String
    /// bm25 score: lower is a better match.
    public var rank: Double

    public init(id: String, channel: String, from: String, rootId: String?, threadId: String, sentAt: Date, preview: String, rank: Double) {
        self.id = id
        self.channel = channel
        self.from = from
        self.rootId = rootId
        self.threadId = threadId
        self.sentAt = sentAt
        self.preview = preview
        self.rank = rank
    }
}

/// Results of a channel search, best match first.
public struct ChannelSearchResults: Codable, Sendable, Equatable {
    public var query: String
    public var results: [ChannelSearchHitResponse]
    public var total: Int
    public var truncated: Bool

    public init(query: String, results: [ChannelSearchHitResponse], total: Int, truncated: Bool) {
        self.query = query
        self.results = results
        self.total = total
        self.truncated = truncated
    }
}

/// `POST /api/v1/workspaces/{workspace}/broadcasts`: one message from human-web to every agent.
public struct BroadcastRequest: Codable, Sendable, Equatable {
    public var body: String

    public init(body: String) {
        self.body = body
    }
}

/// The stored copies of a broadcast, one per agent, and how many agents were connected.
public struct BroadcastResult: Codable, Sendable, Equatable {
    public var messages: [MessageResponse]
    /// Agents holding their events stream when it was stored (pushed at once; the others get it when they connect).
    public var online: Int

    public init(messages: [MessageResponse], online: Int) {
        self.messages = messages
        self.online = online
    }
}

/// A member of a channel.
public struct ChannelMemberResponse: Codable, Sendable, Equatable {
    /// `repo:agent`.
    public var agent: String
    public var online: Bool
    public var isMain: Bool

    public init(agent: String, online: Bool, isMain: Bool) {
        self.agent = agent
        self.online = online
        self.isMain = isMain
    }
}

/// `GET /api/v1/workspaces/{workspace}/channels/{channel}/members` (every agent for `shared`).
public struct ChannelMemberList: Codable, Sendable, Equatable {
    public var channel: String
    public var members: [ChannelMemberResponse]

    public init(channel: String, members: [ChannelMemberResponse]) {
        self.channel = channel
        self.members = members
    }
}
