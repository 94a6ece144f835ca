import WhatsAgentAPI

extension BackupRequest: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "path": "Absolute path of the archive to write."
        ])
    }
}

extension BackupResult: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(
            "The result of a backup.",
            fields: [
                "bytes": .count
            ]
        )
    }
}

extension DaemonInfo: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(
            "Where a running daemon is.",
            fields: [
                "stoppedAgents": "With `stopRunners`: how many managed agents were stopped."
            ]
        )
    }
}

extension DaemonStatus: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(
            "`GET /api/v1/status`.",
            fields: [
                "sessions": FieldNote("Live sessions across all workspaces.", .minimum(0)),
                "workspaces": FieldNote("Live (not trashed) workspaces.", .minimum(0)),
            ]
        )
    }
}

extension Health: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes("`GET /health`.")
    }
}

extension StopDaemonRequest: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "stopRunners": "Also stop every managed runner."
        ])
    }
}
