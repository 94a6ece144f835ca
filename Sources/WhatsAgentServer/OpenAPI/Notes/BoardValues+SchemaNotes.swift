import WhatsAgentAPI

extension BoardCloseApprovalStatusValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Where an epic is in the close workflow.", component: true)
}

extension BoardCommentTypeValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Comment type.", component: true)
}

extension BoardEffortValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Effort.", component: true)
}

extension BoardItemKindValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes(component: true)
}

extension BoardPriorityValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Priority, P0 the most urgent.", component: true)
}

extension BoardStatusValue: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Board status.", component: true)
}
