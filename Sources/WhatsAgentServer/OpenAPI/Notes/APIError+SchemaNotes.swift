import WhatsAgentAPI

extension APIErrorBody: SchemaDocumented {
    static let schemaNotes = SchemaNotes("The error body of every failed request.")
}

extension APIErrorBody.Detail: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "code": "Stable machine code (e.g. `workspace_not_found`).",
        "message": "One line: what was refused, why, and what to do instead.",
    ])
}
