import WhatsAgentAPI

extension BackupRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "path": "Absolute path of the archive to write."
    ])
}

extension BackupResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "The result of a backup.",
        fields: [
            "bytes": .count
        ]
    )
}

extension DaemonInfo: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "Where a running daemon is.",
        fields: [
            "stoppedAgents": "With `stopRunners`: how many managed agents were stopped."
        ]
    )
}

extension DaemonStatus: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "`GET /api/v1/status`.",
        fields: [
            "sessions": FieldNote("Live sessions across all workspaces.", .minimum(0)),
            "workspaces": FieldNote("Live (not trashed) workspaces.", .minimum(0)),
        ]
    )
}

extension Health: SchemaDocumented {
    static let schemaNotes = SchemaNotes("`GET /health`.")
}

extension StopDaemonRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "stopRunners": "Also stop every managed runner."
    ])
}
