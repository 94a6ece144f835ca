import WhatsAgentAPI

extension LimitValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("A limit: a whole number, or `\"off\"`.", component: true)
    }
}

extension RBACModeValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("RBAC mode.", component: true)
    }
}

extension RetentionValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("A retention: a number of days, or `\"forever\"`.", component: true)
    }
}

extension RuntimeValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Agent runtime.", component: true)
    }
}

extension TopologyValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Workspace topology.", component: true)
    }
}

extension LimitValue: SchemaSampled {
    static var schemaSamples: [LimitValue] { [.value(0), .off] }
}

extension RetentionValue: SchemaSampled {
    static var schemaSamples: [RetentionValue] { [.days(0), .forever] }
}
