import WhatsAgentAPI

extension MessageResponse: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "pushPath": .oneOf(AgentPushPath.allCases.filter { $0 != .none }.map(\.rawValue)),
            "state": .oneOf(MessageDeliveryState.allCases.map(\.rawValue)),
        ])
    }
}
