import WhatsAgentAPI

extension AgentEvent: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "count": .count
        ])
    }
}

extension AgentToolDescriptor: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "inputSchema": FieldNote(nil, .anyObject),
            "outputSchema": FieldNote("JSON Schema of the result's structured content.", .anyObject),
        ])
    }
}

extension AgentToolResult: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "structured": FieldNote("The text verbatim under `text`, the typed fields, agent-written text fenced.", .anyObject)
        ])
    }
}
