import WhatsAgentAPI

extension MessageResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "pushPath": .oneOf(AgentPushPath.allCases.filter { $0 != .none }.map(\.rawValue)),
        "state": .oneOf(MessageDeliveryState.allCases.map(\.rawValue)),
    ])
}
