import WhatsAgentAPI

extension AgentPairRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "agents": .pair("Two `repo:agent` addresses, in any order.")
    ])
}

extension MessageHoldResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "agents": .pair("The two agents (`repo:agent`), sorted."),
        "messages": "The messages still held, oldest first.",
    ])
}

extension PeerRuleList: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "active": "Whether the rules apply now (only in the p2p topology)."
    ])
}

extension PeerRuleModeValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("How peer rules read in the p2p topology.", component: true)
}

extension PeerRuleResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "agents": .pair("The two agents (`repo:agent`), sorted.")
    ])
}

extension ReleaseHoldResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "released": FieldNote("How many held messages became queued.", .minimum(0))
    ])
}
