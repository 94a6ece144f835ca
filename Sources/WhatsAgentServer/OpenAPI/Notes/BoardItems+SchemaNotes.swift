import WhatsAgentAPI

extension BoardActivityResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "One activity-log entry.",
        fields: [
            "action":
                "`created`, `updated` (one per field), `commented`, `archived`, `unarchived`, `close_approval_requested`, `close_approval_cancelled` or `close_approved`.",
            "after": "The value after, as JSON text.",
            "before": "The value before, as JSON text (`\"Backlog\"`, `null`, `[\"WA-001\"]`).",
        ]
    )
}

extension BoardCloseApproval: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "An epic's close-approval state.",
        fields: [
            "approvedBy": "`human-web`."
        ]
    )
}

extension BoardCommentResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "author": "`repo:agent` or `human-web`.",
        "itemId": "Display id of the task or epic.",
    ])
}

extension BoardDependencyResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes("A dependency edge by display ids.")
}

extension BoardEpicResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "An epic.",
        fields: [
            "archivedBy": "`repo:agent` or `human-web`.",
            "assignee": "`repo:agent`.",
            "creator": "`repo:agent` or `human-web`.",
            "displayId": "`EP-001`.",
            "id": "Row id (lookups accept it as well as the display id).",
        ]
    )
}

extension BoardTaskRefResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "A short reference to a task.",
        fields: [
            "assignee": "Absent when the task is unassigned."
        ]
    )
}

extension BoardTaskResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "A task. Items reference each other by display id.",
        fields: [
            "archivedBy": "`repo:agent` or `human-web`.",
            "assignee": "`repo:agent`; absent when the task is unassigned.",
            "creator": "`repo:agent` or `human-web`.",
            "dependsOnTaskIds": "Display ids of the tasks this one depends on.",
            "displayId": "`WA-003`.",
            "epicId": "Display id of the parent epic.",
            "id": "Row id (lookups accept it as well as the display id).",
        ]
    )
}
