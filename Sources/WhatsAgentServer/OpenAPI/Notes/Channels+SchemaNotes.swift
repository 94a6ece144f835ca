import WhatsAgentAPI

extension ChannelResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "posts": .count
    ])
}
