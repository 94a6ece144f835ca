import WhatsAgentAPI

extension AuditList: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "total": .count
    ])
}
