/// The `outputSchema` of every agent tool (SPEC §8): real clients show the model a result's structured content, not
/// its text, so every result's structured content is `{ "text": <the text block verbatim>, …typed fields }`, and
/// every field that holds text an agent or a person wrote is the fenced form
/// `<<<UNTRUSTED-BODY-<nonce>\n…\n>>>END-UNTRUSTED-<nonce>` with the nonce of the text block. A refusal
/// (`isError: true`) is `{ "text": <reason>, "error": { "code": … } }` and matches the same schema.
///
/// One schema per result type below; ``AgentToolResultSchemas/schema(for:)`` maps each tool to its own.
public enum AgentToolResultSchemas {
    /// The output schema of the tool `name`, nil for a tool outside the catalogue.
    public static func schema(for name: String) -> JSONValue? {
        self.byTool[name]
    }

    /// The JSON Schema `pattern` of a fenced value: one open line, the text, one close line with the same nonce.
    public static let fencedPattern = #"^<<<UNTRUSTED-BODY-([A-Za-z0-9_-]+)\n[\s\S]*\n>>>END-UNTRUSTED-\1$"#

    // MARK: Tools → result types

    private static let byTool: [String: JSONValue] = {
        var table: [String: JSONValue] = [
            "whoami": whoami, "list_peers": peers, "set_summary": summary,
            "send_message": sent, "broadcast_message": broadcast, "check_messages": inbox,
            "search_direct_messages": directSearch, "search_channel_messages": channelSearch,
            "list_channels": channelList, "join_channel": channelName, "leave_channel": channelName,
            "create_channel": channelName, "post_channel_message": posted, "reply_channel_thread": posted,
            "read_channel_messages": channelRead,
            "read_kanban_task": taskDetail, "list_kanban_tasks": taskList, "read_kanban_epic": epicDetail,
            "list_kanban_epics": epicList, "search_kanban_tasks": boardSearch, "search_kanban_epics": boardSearch,
            "comment_kanban_task": commentChange, "comment_kanban_epic": commentChange,
        ]
        for tool in ["create_kanban_task", "update_kanban_task", "update_kanban_task_status", "archive_kanban_task"] {
            table[tool] = taskChange
        }
        for tool in [
            "create_kanban_epic", "update_kanban_epic", "update_kanban_epic_status", "archive_kanban_epic",
            "request_kanban_epic_close", "cancel_kanban_epic_close",
        ] {
            table[tool] = epicChange
        }
        return table
    }()

    // MARK: Identity and direct messages

    static let whoami = result(
        [
            "agent": string, "workspace": string, "workspaceId": string, "roles": array(string), "topology": string,
            "mainAgent": nullable(string), "isMain": boolean, "sessionId": string, "runtime": string,
        ],
        required: ["agent", "workspace", "workspaceId", "roles", "topology", "mainAgent", "isMain", "sessionId", "runtime"]
    )

    static let peers = result(
        [
            "peers": array(
                object(
                    [
                        "agent": string, "online": boolean, "runtime": string, "roles": array(string), "isMain": boolean,
                        "summary": nullable(fenced), "canReceivePush": boolean, "pushPath": string,
                        "pushWarning": nullable(string),
                    ],
                    required: ["agent", "online", "runtime", "roles", "isMain", "summary", "canReceivePush", "pushPath", "pushWarning"]
                )
            ),
            "nonce": string,
        ],
        required: ["peers", "nonce"]
    )

    static let summary = result(["summary": fenced, "nonce": string], required: ["summary", "nonce"])

    static let sent = result(
        [
            "messageId": string, "to": string, "threadId": string, "state": string, "recipientOnline": boolean,
            "duplicate": boolean, "held": boolean,
        ],
        required: ["messageId", "to", "threadId", "state", "recipientOnline", "duplicate", "held"]
    )

    static let broadcast = result(
        ["recipients": array(string), "messageIds": array(string), "online": integer],
        required: ["recipients", "messageIds", "online"]
    )

    /// A message or channel post as `check_messages` and `read_channel_messages` return it.
    static let message = object(
        [
            "id": string, "from": string, "to": string, "kind": string, "threadId": string, "rootId": nullable(string),
            "sentAt": string, "redelivered": boolean, "body": fenced,
        ],
        required: ["id", "from", "to", "kind", "threadId", "sentAt", "body"]
    )

    static let inbox = result(
        ["count": integer, "messages": array(message), "nonce": string],
        required: ["count", "messages", "nonce"]
    )

    static let directSearch = search(
        object(
            [
                "id": string, "kind": string, "from": string, "to": string, "threadId": string, "sentAt": string,
                "state": string, "preview": fenced, "rank": number,
            ],
            required: ["id", "kind", "from", "to", "threadId", "sentAt", "state", "preview", "rank"]
        )
    )

    static let channelSearch = search(
        object(
            [
                "id": string, "channel": string, "from": string, "rootId": nullable(string), "threadId": string,
                "sentAt": string, "preview": fenced, "rank": number,
            ],
            required: ["id", "channel", "from", "rootId", "threadId", "sentAt", "preview", "rank"]
        )
    )

    static func search(_ hit: JSONValue) -> JSONValue {
        result(
            ["results": array(hit), "total": integer, "truncated": boolean, "nonce": string],
            required: ["results", "total", "truncated", "nonce"]
        )
    }

    // MARK: Channels

    static let channelList = result(
        [
            "channels": array(
                object(
                    ["name": string, "member": boolean, "unread": integer, "posts": integer],
                    required: ["name", "member", "unread", "posts"]
                )
            )
        ],
        required: ["channels"]
    )

    static let channelName = result(["channel": string], required: ["channel"])

    static let posted = result(
        ["messageId": string, "channel": string, "threadId": string],
        required: ["messageId", "channel", "threadId"]
    )

    static let channelRead = result(
        ["count": integer, "messages": array(message), "nonce": string],
        required: ["count", "messages", "nonce"]
    )

    // MARK: Helpers

    /// A tool result: `text` always; the typed fields on success, `error` on a refusal.
    static func result(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        var all = properties
        all["text"] = ["type": "string", "description": "The result's text block, verbatim."]
        all["error"] = object(["code": string], required: ["code"])
        return [
            "type": "object",
            "properties": .object(all),
            "required": ["text"],
            "anyOf": [["required": .array(required.map(JSONValue.string))], ["required": ["error"]]],
            "additionalProperties": false,
        ]
    }

    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))]
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]

    /// Untrusted text inside the result's nonce fence.
    static let fenced: JSONValue = [
        "type": "string",
        "description": "Untrusted text written by an agent or a person, inside the result's nonce fence.",
        "pattern": .string(fencedPattern),
    ]
}
