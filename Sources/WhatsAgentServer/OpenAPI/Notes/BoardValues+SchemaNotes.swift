import WhatsAgentAPI

extension BoardCloseApprovalStatusValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Where an epic is in the close workflow.", component: true)
    }
}

extension BoardCommentTypeValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Comment type.", component: true)
    }
}

extension BoardEffortValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Effort.", component: true)
    }
}

extension BoardItemKindValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(component: true)
    }
}

extension BoardPriorityValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Priority, P0 the most urgent.", component: true)
    }
}

extension BoardStatusValue: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("Board status.", component: true)
    }
}
