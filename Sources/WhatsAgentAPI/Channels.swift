import Foundation

/// A channel as the API shows it to the human (member of every channel).
public struct ChannelResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var createdBy: String
    public var createdAt: Date
    public var posts: Int

    public init(id: String, name: String, createdBy: String, createdAt: Date, posts: Int) {
        self.id = id
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.posts = posts
    }
}

public struct ChannelList: Codable, Sendable, Equatable {
    public var channels: [ChannelResponse]

    public init(channels: [ChannelResponse]) {
        self.channels = channels
    }
}

/// `POST /api/v1/workspaces/{workspace}/channels`.
public struct CreateChannelRequest: Codable, Sendable, Equatable {
    /// Bare name (`#` accepted).
    public var name: String

    public init(name: String) {
        self.name = name
    }
}

/// `POST /api/v1/workspaces/{workspace}/channels/{channel}/posts`: a new thread, or a reply with `replyTo`.
public struct ChannelPostRequest: Codable, Sendable, Equatable {
    public var body: String
    /// Id of any post of the thread to reply in (`c12`).
    public var replyTo: String?

    public init(body: String, replyTo: String? = nil) {
        self.body = body
        self.replyTo = replyTo
    }
}

/// A channel post.
public struct ChannelPostResponse: Codable, Sendable, Equatable {
    /// `c<number>`.
    public var id: String
    public var channel: String
    public var from: String
    /// The thread's root post id; absent on a root.
    public var rootId: String?
    public var threadId: String
    public var body: String
    public var sentAt: Date

    public init(id: String, channel: String, from: String, rootId: String?, threadId: String, body: String, sentAt: Date) {
        self.id = id
        self.channel = channel
        self.from = from
        self.rootId = rootId
        self.threadId = threadId
        self.body = body
        self.sentAt = sentAt
    }
}

public struct ChannelPostList: Codable, Sendable, Equatable {
    public var posts: [ChannelPostResponse]

    public init(posts: [ChannelPostResponse]) {
        self.posts = posts
    }
}
