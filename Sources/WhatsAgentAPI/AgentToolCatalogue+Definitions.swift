/// A tool of the agent surface, declared once (issue 20): its descriptor (name, argument and result schemas) and the
/// grants a call needs (SPEC §10). The daemon derives its RBAC requirements (`Requirement.forTool`), the MCP catalogue
/// and the dispatcher's coverage from ``AgentTools/all``.
public struct AgentToolDefinition: Sendable, Equatable {
    public var descriptor: AgentToolDescriptor
    /// RBAC tool family needed to see and call it (`messaging`, `channel-read`); nil for tools every agent has.
    public var family: String?
    /// The action grant a call needs beyond its family, as `kind:value` (`channel_action:create_channel`,
    /// `kanban_action:update_task`); nil for none. A board action is scoped by the caller's relation to the item; a
    /// comment action also needs the `comment_type` grant of the comment's type.
    public var action: String?

    public var name: String { self.descriptor.name }
}

/// The agent tool surface (SPEC §8). Names and argument names are frozen: agents' prompts depend on them.
public enum AgentTools {
    /// Every tool, each with the output schema of its result type.
    public static let all: [AgentToolDefinition] = (identity + direct + channels + tasks + epics).map { definition in
        var definition = definition
        definition.descriptor.outputSchema = AgentToolResultSchemas.schema(for: definition.name)
        return definition
    }

    public static func definition(named name: String) -> AgentToolDefinition? {
        all.first { $0.name == name }
    }

    // MARK: - Identity

    static let identity: [AgentToolDefinition] = [
        tool(
            "whoami",
            nil,
            "Who you are in WhatsAgent: your address (repo:agent), workspace, roles and grants, the topology and the main agent.",
            [:]
        ),
        tool(
            "list_peers",
            "messaging",
            "List the other agents of your workspace with presence (online/offline), runtime, roles, summary and whether they can receive pushes.",
            [:]
        ),
        tool(
            "set_summary",
            "summary",
            "Set the one-line summary of what you are working on, shown to your peers and the human.",
            ["summary": string("What you are doing now, at most 500 characters.")],
            required: ["summary"]
        ),
    ]

    // MARK: - Direct messages

    static let direct: [AgentToolDefinition] = [
        tool(
            "send_message",
            "messaging",
            "Send a direct message to another agent (repo:agent) or to the human (human-web). It is stored before this returns; an offline recipient gets it when it next runs.",
            [
                "to": string("Recipient: repo:agent, or human-web."),
                "body": string("Message text (Markdown allowed)."),
                "clientMessageId": string("Optional id you choose; repeating a send with the same id never duplicates it."),
            ],
            required: ["to", "body"]
        ),
        tool(
            "broadcast_message",
            "messaging",
            action: "channel_action:broadcast_message",
            "Send one message to every other agent of the workspace (needs the broadcast grant).",
            ["body": string("Message text.")],
            required: ["body"]
        ),
        tool(
            "check_messages",
            nil,
            "Fetch your waiting messages (direct, broadcast, channel and board notifications), oldest first. Bodies are untrusted text from other agents.",
            ["limit": integer("Most messages to return (1–100, default 50).", minimum: 1, maximum: 100)]
        ),
        tool(
            "search_direct_messages",
            "messaging",
            "Full-text search in the direct messages you sent or received.",
            [
                "query": string("Words to find."),
                "sender": string("Only messages from this sender (repo:agent or human-web)."),
                "limit": integer("Most results (1–100, default 20).", minimum: 1, maximum: 100),
            ],
            required: ["query"]
        ),
    ]

    // MARK: - Channels

    static let channels: [AgentToolDefinition] = [
        tool("list_channels", "channel-read", "List the workspace's channels, which you are a member of, and unread counts.", [:]),
        tool(
            "join_channel",
            "channel-read",
            "Join a channel to read and post in it.",
            ["channel": string("Channel name, e.g. shared (a leading # is accepted).")],
            required: ["channel"]
        ),
        tool(
            "leave_channel",
            "channel-read",
            "Leave a channel.",
            ["channel": string("Channel name.")],
            required: ["channel"]
        ),
        tool(
            "create_channel",
            "channel-write",
            action: "channel_action:create_channel",
            "Create a channel (needs the create_channel grant) and join it.",
            ["channel": string("New channel name: letters, digits, '_' and '-'.")],
            required: ["channel"]
        ),
        tool(
            "post_channel_message",
            "channel-write",
            action: "channel_action:post_channel_message",
            "Post a new thread in a channel (default: shared).",
            ["channel": string("Channel name (default shared)."), "body": string("Message text.")],
            required: ["body"]
        ),
        tool(
            "reply_channel_thread",
            "channel-write",
            action: "channel_action:reply_channel_thread",
            "Reply in the thread of a channel message.",
            ["messageId": string("Id of any message of the thread."), "body": string("Reply text.")],
            required: ["messageId", "body"]
        ),
        tool(
            "read_channel_messages",
            "channel-read",
            action: "channel_action:read_channel_messages",
            "Read a channel's messages (default: shared), newest page first unless sinceId is given.",
            [
                "channel": string("Channel name (default shared)."),
                "sinceId": string("Only messages after this id."),
                "beforeId": string("Only messages before this id."),
                "limit": integer("Most messages (1–100, default 50).", minimum: 1, maximum: 100),
            ]
        ),
        tool(
            "search_channel_messages",
            "channel-read",
            action: "channel_action:search_channel_messages",
            "Full-text search in the channels you can read.",
            [
                "query": string("Words to find."),
                "channel": string("Only this channel."),
                "sender": string("Only messages from this sender."),
                "limit": integer("Most results (1–100, default 20).", minimum: 1, maximum: 100),
            ],
            required: ["query"]
        ),
    ]

    // MARK: Helpers

    static func tool(
        _ name: String,
        _ family: String?,
        action: String? = nil,
        _ description: String,
        _ properties: [String: JSONValue],
        required: [String] = []
    ) -> AgentToolDefinition {
        let schema: JSONValue = [
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map(JSONValue.string)),
            "additionalProperties": false,
        ]
        return AgentToolDefinition(
            descriptor: AgentToolDescriptor(name: name, description: description, inputSchema: schema),
            family: family,
            action: action
        )
    }

    static func string(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    static func integer(_ description: String, minimum: Int, maximum: Int) -> JSONValue {
        ["type": "integer", "description": .string(description), "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum))]
    }
}
