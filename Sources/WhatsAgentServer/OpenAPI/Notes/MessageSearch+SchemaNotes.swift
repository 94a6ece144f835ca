import WhatsAgentAPI

extension BroadcastResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "online": .count
    ])
}

extension ChannelSearchResults: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "total": .count
    ])
}

extension MessageSearchHitResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "kind": .oneOf(["direct", "broadcast"]),
        "preview": "From 100 characters before the first match to 140 after it; … where cut.",
        "rank": "bm25 score: lower is a better match.",
        "state": .oneOf(MessageDeliveryState.allCases.map(\.rawValue)),
    ])
}

extension MessageSearchResults: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "total": .count
    ])
}
