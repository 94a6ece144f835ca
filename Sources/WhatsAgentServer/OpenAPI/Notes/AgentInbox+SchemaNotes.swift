import WhatsAgentAPI

extension AgentInboxResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "The body-free content of whatsagent://inbox.",
        fields: [
            "hint": "\"N WhatsAgent messages waiting — call check_messages\".",
            "messageIds": "The newest, at most 20.",
        ]
    )
}
