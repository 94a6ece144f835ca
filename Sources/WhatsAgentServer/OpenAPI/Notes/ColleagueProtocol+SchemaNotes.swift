import WhatsAgentAPI

extension SetColleagueProtocolRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "text": FieldNote("Markdown, at most `maxLength` characters.", .minLength(1))
    ])
}

extension WorkspaceColleagueProtocol: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "defaultText": "The built-in text.",
        "isDefault": "True when the built-in text is in effect.",
        "maxLength": FieldNote("The longest text a workspace may store, in characters.", .minimum(0)),
        "text": "Markdown: the workspace's own text, or the built-in one.",
    ])
}

extension ColleagueProtocolResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "deliveryNotes": "Runtime name → how messages reach an agent of that runtime.",
        "text": "Markdown.",
    ])
}
