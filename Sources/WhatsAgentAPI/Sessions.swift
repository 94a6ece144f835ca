import Foundation

/// `POST /api/v1/workspaces/{workspace}/agents/{agent}/connect`.
public struct ConnectAgentRequest: Codable, Sendable, Equatable {
    /// End a live session of the agent first instead of refusing.
    public var replace: Bool

    public init(replace: Bool) {
        self.replace = replace
    }
}

/// A new external session: its token (shown once), environment and generated MCP config.
public struct AgentConnection: Codable, Sendable, Equatable {
    public var session: LiveSessionResponse
    public var workspaceId: String
    /// The secret bearer token; also in `environment`. It dies when the session ends.
    public var token: String
    /// The variables of SPEC §6.2 (`WHATSAGENT_*`).
    public var environment: [String: String]
    /// Path of the generated MCP config file (0600).
    public var mcpConfigPath: String?
    /// Absolute path of the `whatsagent` executable that serves `mcp`.
    public var command: String

    public init(
        session: LiveSessionResponse,
        workspaceId: String,
        token: String,
        environment: [String: String],
        mcpConfigPath: String?,
        command: String
    ) {
        self.session = session
        self.workspaceId = workspaceId
        self.token = token
        self.environment = environment
        self.mcpConfigPath = mcpConfigPath
        self.command = command
    }
}

/// `POST /api/v1/workspaces/{workspace}/messages`: a direct message from human-web.
public struct SendMessageRequest: Codable, Sendable, Equatable {
    /// `repo:agent`.
    public var to: String
    public var body: String
    public var clientMessageId: String?

    public init(to: String, body: String, clientMessageId: String? = nil) {
        self.to = to
        self.body = body
        self.clientMessageId = clientMessageId
    }
}

/// A message's delivery state (SPEC §7.2): `queued` (stored) → `pushed` (a hint went out, by `pushPath`) → `surfaced`
/// (returned by `check_messages` to the recipient's client) → `acknowledged` (its lease was acked); `rejected` (refused by
/// a rule) and `held` (kept back by the loop guard until the human releases the pair).
public enum MessageDeliveryState: String, Codable, Sendable, CaseIterable {
    case queued
    case pushed
    case surfaced
    case acknowledged
    case rejected
    case held
}

/// A stored message.
public struct MessageResponse: Codable, Sendable, Equatable {
    public var id: String
    public var kind: String
    public var from: String
    public var to: String
    public var threadId: String
    public var body: String
    /// A ``MessageDeliveryState``: `queued`, `pushed`, `surfaced`, `acknowledged`, `rejected` or `held`.
    public var state: String
    public var rejection: String?
    public var clientMessageId: String?
    public var sentAt: Date
    /// When a push hint first named it, and by which path (`channel`, `plugin`, `extension`, `typed`, `resource`).
    public var pushedAt: Date?
    public var pushPath: String?
    /// When `check_messages` (last) returned it to the recipient's client.
    public var surfacedAt: Date?
    /// When its lease was acknowledged (for a message to the human: when the human's page read it).
    public var acknowledgedAt: Date?

    public init(
        id: String,
        kind: String,
        from: String,
        to: String,
        threadId: String,
        body: String,
        state: String,
        rejection: String?,
        clientMessageId: String?,
        sentAt: Date,
        pushedAt: Date? = nil,
        pushPath: String? = nil,
        surfacedAt: Date? = nil,
        acknowledgedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.from = from
        self.to = to
        self.threadId = threadId
        self.body = body
        self.state = state
        self.rejection = rejection
        self.clientMessageId = clientMessageId
        self.sentAt = sentAt
        self.pushedAt = pushedAt
        self.pushPath = pushPath
        self.surfacedAt = surfacedAt
        self.acknowledgedAt = acknowledgedAt
    }
}

/// The result of a send.
public struct SendMessageResult: Codable, Sendable, Equatable {
    public var message: MessageResponse
    /// Whether the recipient was connected when the message was stored (offline mail waits in its mailbox).
    public var recipientOnline: Bool
    /// A repeat of an earlier send with the same `clientMessageId`.
    public var duplicate: Bool

    public init(message: MessageResponse, recipientOnline: Bool, duplicate: Bool) {
        self.message = message
        self.recipientOnline = recipientOnline
        self.duplicate = duplicate
    }
}

/// `GET /api/v1/workspaces/{workspace}/messages`: the human's conversations, oldest first.
public struct MessageList: Codable, Sendable, Equatable {
    public var messages: [MessageResponse]

    public init(messages: [MessageResponse]) {
        self.messages = messages
    }
}
