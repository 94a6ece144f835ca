import WhatsAgentAPI

extension ChannelResponse: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "posts": .count
        ])
    }
}
