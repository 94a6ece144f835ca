import WhatsAgentAPI

extension AgentEvent: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "count": .count
    ])
}

extension AgentToolDescriptor: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "inputSchema": FieldNote(nil, .anyObject),
        "outputSchema": FieldNote("JSON Schema of the result's structured content.", .anyObject),
    ])
}

extension AgentToolResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "structured": FieldNote("The text verbatim under `text`, the typed fields, agent-written text fenced.", .anyObject)
    ])
}
