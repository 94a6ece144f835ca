import WhatsAgentAPI

extension BoardCommentRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "body": "Up to 16,000 characters."
    ])
}

extension CreateBoardEpicRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Unset fields take the defaults (Backlog, P2, M); status Completed is refused.",
        fields: [
            "assignedTo": "`repo:agent` of an existing agent.",
            "details": "Up to 16,000 characters.",
            "title": "Up to 500 characters.",
        ]
    )
}

extension CreateBoardTaskRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Unset fields take the defaults (Backlog, P2, M; unassigned).",
        fields: [
            "assignedTo": "`repo:agent` of an existing agent; absent or `none`: unassigned.",
            "dependsOnTaskIds": "Tasks this one depends on (cycles are refused).",
            "details": "Up to 16,000 characters.",
            "epicId": "Epic display or row id.",
            "title": "Up to 500 characters.",
        ]
    )
}

extension UpdateBoardEpicRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Absent fields are untouched; status Completed is refused (use the close workflow).",
        fields: [
            "assignedTo": "`repo:agent` of an existing agent.",
            "details": "Up to 16,000 characters.",
            "githubNumber": "`null` clears.",
            "githubTitle": "`null` clears.",
            "githubUrl": "`null` clears.",
            "title": "Up to 500 characters.",
        ]
    )
}

extension UpdateBoardTaskRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Absent fields are untouched.",
        fields: [
            "assignedTo": "`repo:agent` of an existing agent; `none` unassigns.",
            "dependsOnTaskIds": "Replaces the whole list.",
            "details": "Up to 16,000 characters.",
            "epicId": "Epic display or row id; `null` or `none` unlinks.",
            "githubNumber": "`null` clears.",
            "githubTitle": "`null` clears.",
            "githubUrl": "`null` clears.",
            "title": "Up to 500 characters.",
        ]
    )
}
