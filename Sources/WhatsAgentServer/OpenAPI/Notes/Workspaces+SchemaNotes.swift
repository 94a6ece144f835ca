import WhatsAgentAPI

extension RemovalRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "force": "Stop live sessions first instead of refusing."
    ])
}

extension SelectWorkspaceRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "workspace": "Name or id."
    ])
}

extension UpdateWorkspaceRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes("Absent fields stay as they are.")
}

extension WorkspaceResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "A workspace as the API shows it.",
        fields: [
            "agentCount": .count,
            "liveSessionCount": .count,
            "purgeAfter": "When a trashed workspace will be purged automatically.",
            "repoCount": .count,
            "status": .oneOf(["active", "trashed"]),
        ]
    )
}
