import WhatsAgentAPI

extension AuditList: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "total": .count
        ])
    }
}
