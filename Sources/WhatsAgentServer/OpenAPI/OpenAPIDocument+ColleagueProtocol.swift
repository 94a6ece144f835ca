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
            ]
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
            )
        ]
    }
}
