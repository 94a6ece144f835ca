import WhatsAgentAPI

extension JSONValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(anyJSON: true)
    }
}
