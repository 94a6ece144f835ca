import Foundation

// The agent protocol on the Unix socket (SPEC §2), used by `whatsagent mcp`, the OpenCode plugin and the Pi
// extension. Every request carries `Authorization: Bearer <session token>`.
//
//   GET  /api/v1/agent/tools          → AgentToolCatalogue (the tools this agent may see)
//   POST /api/v1/agent/tools/{name}   JSON arguments → AgentToolResult (refusals are results with isError)
//   POST /api/v1/agent/ack            AgentAckRequest → 204 (the MCP client has the leased messages)
//   GET  /api/v1/agent/events         newline-delimited AgentEvent, chunked; holding it means "connected"

/// The session environment (SPEC §6.2): names of the variables every session gets.
public enum SessionEnvironment {
    public static let socket = "WHATSAGENT_SOCKET"
    public static let workspaceID = "WHATSAGENT_WORKSPACE_ID"
    public static let agent = "WHATSAGENT_AGENT"
    public static let sessionID = "WHATSAGENT_SESSION_ID"
    public static let token = "WHATSAGENT_SESSION_TOKEN"
    public static let runtime = "WHATSAGENT_RUNTIME"
    public static let mcpConfig = "WHATSAGENT_MCP_CONFIG"

    /// In the order they are written to generated configs.
    public static let all = [socket, workspaceID, agent, sessionID, token, runtime, mcpConfig]
}

/// One tool as an agent sees it.
public struct AgentToolDescriptor: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    /// JSON Schema of the arguments object.
    public var inputSchema: JSONValue
    /// JSON Schema of the result's structured content (``AgentToolResultSchemas``); every tool has one.
    public var outputSchema: JSONValue?

    public init(name: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
    }
}

/// `GET /api/v1/agent/tools`.
public struct AgentToolCatalogue: Codable, Sendable, Equatable {
    /// `repo:agent` of the caller.
    public var agent: String
    public var tools: [AgentToolDescriptor]

    public init(agent: String, tools: [AgentToolDescriptor]) {
        self.agent = agent
        self.tools = tools
    }
}

/// `POST /api/v1/agent/tools/{name}`: the text block, and the structured content real clients show the model
/// instead of it — `{ "text": <the text verbatim>, …typed fields }` with agent-written text fenced
/// (``AgentToolResultSchemas``).
public struct AgentToolResult: Codable, Sendable, Equatable {
    public var text: String
    public var structured: JSONValue?
    public var isError: Bool
    /// Set when the result leases messages (`check_messages`): acknowledge it once the client has the result.
    public var leaseId: String?

    public init(text: String, structured: JSONValue? = nil, isError: Bool = false, leaseId: String? = nil) {
        self.text = text
        self.structured = structured
        self.isError = isError
        self.leaseId = leaseId
    }
}

/// `POST /api/v1/agent/ack`.
public struct AgentAckRequest: Codable, Sendable, Equatable {
    public var leaseId: String

    public init(leaseId: String) {
        self.leaseId = leaseId
    }
}

/// One line of `GET /api/v1/agent/events`.
public struct AgentEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// First event of every stream: who the session is.
        case hello
        /// Mail is waiting: a body-free push hint (bodies travel only through `check_messages`).
        case mail
        /// The agent's visible tools changed (roles or mode changed).
        case toolsChanged = "tools_changed"
        /// The session was ended (disconnect, removal); the stream closes after this event.
        case sessionEnded = "session_ended"
    }

    public var kind: Kind
    public var agent: String
    public var sessionId: String
    /// `mail`: number of messages waiting, their ids and kinds (`direct`, `broadcast`, `channel`, `kanban`).
    public var count: Int?
    public var messageIds: [String]?
    public var kinds: [String]?
    /// `mail`: names the newest waiting mail (`14`, `c3`, `14+c3`); equal cursors mean no new mail in between.
    public var cursor: String?
    /// `mail` with a single message: its sender, thread and kind.
    public var from: String?
    public var threadId: String?
    public var messageKind: String?
    /// `session_ended`: why.
    public var reason: String?

    public init(
        kind: Kind,
        agent: String,
        sessionId: String,
        count: Int? = nil,
        messageIds: [String]? = nil,
        kinds: [String]? = nil,
        from: String? = nil,
        threadId: String? = nil,
        messageKind: String? = nil,
        cursor: String? = nil,
        reason: String? = nil
    ) {
        self.kind = kind
        self.agent = agent
        self.sessionId = sessionId
        self.count = count
        self.messageIds = messageIds
        self.kinds = kinds
        self.from = from
        self.threadId = threadId
        self.messageKind = messageKind
        self.cursor = cursor
        self.reason = reason
    }
}

/// Claude's channel push (SPEC §8): `notifications/claude/channel` with string-valued, identifier-keyed meta.
public struct ChannelNotification: Sendable, Equatable {
    public static let method = "notifications/claude/channel"

    public var content: String
    public var meta: [String: String]

    /// Builds the notification for a `mail` event; nil for other events.
    public init?(_ event: AgentEvent) {
        guard event.kind == .mail, let count = event.count, count > 0 else { return nil }
        self.content = "\(count) WhatsAgent message\(count == 1 ? "" : "s") waiting — call check_messages"
        var meta = ["count": String(count)]
        if let ids = event.messageIds { meta["message_ids"] = ids.joined(separator: ",") }
        if let kinds = event.kinds { meta["kinds"] = kinds.joined(separator: ",") }
        if let cursor = event.cursor { meta["cursor"] = cursor }
        if count == 1 {
            if let from = event.from { meta["from"] = from }
            if let thread = event.threadId { meta["thread_id"] = thread }
            if let kind = event.messageKind { meta["kind"] = kind }
        }
        self.meta = meta
    }
}
