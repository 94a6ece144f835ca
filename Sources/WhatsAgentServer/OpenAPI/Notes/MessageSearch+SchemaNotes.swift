import WhatsAgentAPI

extension BroadcastResult: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "online": .count
        ])
    }
}

extension ChannelSearchResults: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "total": .count
        ])
    }
}

extension MessageSearchHitResponse: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "kind": .oneOf(["direct", "broadcast"]),
            "preview": "From 100 characters before the first match to 140 after it; … where cut.",
            "rank": "bm25 score: lower is a better match.",
            "state": .oneOf(MessageDeliveryState.allCases.map(\.rawValue)),
        ])
    }
}

extension MessageSearchResults: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "total": .count
        ])
    }
}
