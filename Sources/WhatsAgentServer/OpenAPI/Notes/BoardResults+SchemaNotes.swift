import WhatsAgentAPI

extension BoardCloseOutcome: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "`approved`: the epic was completed at once; `pending`: it waits for the human's approval.",
        fields: [
            "childDisplayIds": "The open tasks.",
            "openChildren": .count,
        ]
    )
}

extension BoardEpicChange: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "changedFields": "Fields that changed (empty: nothing did).",
        "closeApproval": "Set when the call entered the close workflow.",
        "notified": "Agents notified through their inbox.",
        "warnings": "Non-blocking notes, e.g. started with unfinished dependencies.",
    ])
}

extension BoardEpicDetail: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "activity": "Oldest first.",
        "openChildren": FieldNote("Tasks neither Completed nor archived.", .minimum(0)),
    ])
}

extension BoardExport: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "The whole board, re-importable into a workspace whose board is empty (exact round trip).",
        fields: [
            "epicSequence": FieldNote("The last epic sequence handed out.", .minimum(0)),
            "taskSequence": FieldNote("The last task sequence handed out.", .minimum(0)),
            "version": "Format version (1).",
        ]
    )
}

extension BoardImportResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "activity": .count,
        "comments": .count,
        "dependencies": .count,
        "epics": .count,
        "tasks": .count,
    ])
}

extension BoardSearchHitResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "assignee": "`repo:agent`; absent for an unassigned task.",
        "matchedIn": "Of `display_id`, `title`, `details`, `comments`.",
        "preview": "About 100 characters before the first match to 140 after it.",
        "rank": "Lower is better.",
    ])
}

extension BoardSearchResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "total": .count,
        "truncated": "More matched than were returned.",
    ])
}

extension BoardTaskChange: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "changedFields": "Fields that changed (empty: nothing did).",
        "notified": "Agents notified through their inbox.",
        "warnings": "Non-blocking notes, e.g. started with unfinished dependencies.",
    ])
}

extension BoardTaskDetail: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "activity": "Oldest first."
    ])
}
