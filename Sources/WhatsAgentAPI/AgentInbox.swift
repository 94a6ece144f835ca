import Foundation

// The inbox resource of the agent protocol (SPEC §8, "Pushes to any MCP client"):
//
//   GET /api/v1/agent/inbox                AgentInboxResponse (body-free; confirms a push, leases nothing)
//   PUT /api/v1/agent/inbox/subscription   AgentInboxSubscriptionRequest → 204 (the MCP client (un)subscribed)

/// The URI `whatsagent mcp` offers the inbox under.
public enum InboxResource {
    public static let uri = "whatsagent://inbox"
}

/// `GET /api/v1/agent/inbox`: how much mail waits and the newest ids (at most 20), never a body.
public struct AgentInboxResponse: Codable, Sendable, Equatable {
    public var count: Int
    public var messageIds: [String]
    /// `direct`, `broadcast`, `kanban`, `channel`.
    public var kinds: [String]
    /// "N WhatsAgent messages waiting — call check_messages".
    public var hint: String

    public init(count: Int, messageIds: [String], kinds: [String], hint: String) {
        self.count = count
        self.messageIds = messageIds
        self.kinds = kinds
        self.hint = hint
    }
}

/// `PUT /api/v1/agent/inbox/subscription`: the session's MCP client subscribed to `whatsagent://inbox` (or
/// unsubscribed); its push path becomes `resource`.
public struct AgentInboxSubscriptionRequest: Codable, Sendable, Equatable {
    public var subscribed: Bool

    public init(subscribed: Bool) {
        self.subscribed = subscribed
    }
}
