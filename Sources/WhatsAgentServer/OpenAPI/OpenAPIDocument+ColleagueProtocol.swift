import Foundation

/// The colleague protocol text (Settings in the web UI).
extension OpenAPIDocument {
    static func colleagueProtocolPaths() -> [String: Any] {
        [
            "/api/v1/colleague-protocol": [
                "get": self.operation(
                    "getColleagueProtocol",
                    tag: "Runtimes",
                    summary: "The colleague protocol launched agents get in their system prompt",
                    description: "The built-in text and, per runtime, the note on how messages reach the agent.",
                    response: self.ref("ColleagueProtocolResponse"),
                    responseDescription: "The protocol text and the delivery notes.",
                    storage: false
                )
            ],
            "/api/v1/workspaces/{workspace}/colleague-protocol": [
                "get": self.operation(
                    "getWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "The colleague protocol the workspace's launches inject",
                    description: "The workspace's own text, or the built-in one when it has none (`isDefault`).",
                    parameters: [self.workspaceParameter],
                    response: self.ref("WorkspaceColleagueProtocol"),
                    responseDescription: "The text in effect."
                ),
                "put": self.operation(
                    "setWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "Store the workspace's own colleague protocol",
                    description: """
                        Used by the next launches of the workspace's agents; running agents keep their prompt. Refused with \
                        400 `invalid_argument` when the text is empty, longer than `maxLength` characters or has a NUL.
                        """,
                    parameters: [self.workspaceParameter],
                    body: "SetColleagueProtocolRequest",
                    response: self.ref("WorkspaceColleagueProtocol"),
                    responseDescription: "The stored text."
                ),
                "delete": self.operation(
                    "resetWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "Go back to the built-in colleague protocol",
                    parameters: [self.workspaceParameter],
                    response: self.ref("WorkspaceColleagueProtocol"),
                    responseDescription: "The built-in text, now in effect."
                ),
            ],
        ]
    }

    static func colleagueProtocolSchemas() -> [String: Any] {
        [
            "ColleagueProtocolResponse": self.object(
                required: [
                    "text": self.described(self.string, "Markdown."),
                    "deliveryNotes": self.described(
                        ["type": "object", "additionalProperties": self.string],
                        "Runtime name → how messages reach an agent of that runtime."
                    ),
                ]
            ),
            "WorkspaceColleagueProtocol": self.object(
                required: [
                    "text": self.described(self.string, "Markdown: the workspace's own text, or the built-in one."),
                    "isDefault": self.described(self.boolean, "True when the built-in text is in effect."),
                    "defaultText": self.described(self.string, "The built-in text."),
                    "maxLength": self.described(self.count, "The longest text a workspace may store, in characters."),
                ]
            ),
            "SetColleagueProtocolRequest": self.object(
                required: ["text": self.described(["type": "string", "minLength": 1], "Markdown, at most `maxLength` characters.")]
            ),
        ]
    }
}
