import WhatsAgentAPI

extension JSONValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes(anyJSON: true)
}
