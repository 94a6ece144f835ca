import WhatsAgentAPI

extension LimitValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("A limit: a whole number, or `\"off\"`.", component: true)
}

extension RBACModeValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("RBAC mode.", component: true)
}

extension RetentionValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("A retention: a number of days, or `\"forever\"`.", component: true)
}

extension RuntimeValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Agent runtime.", component: true)
}

extension TopologyValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Workspace topology.", component: true)
}

extension LimitValue: SchemaSampled {
    static var schemaSamples: [LimitValue] { [.value(0), .off] }
}

extension RetentionValue: SchemaSampled {
    static var schemaSamples: [RetentionValue] { [.days(0), .forever] }
}
