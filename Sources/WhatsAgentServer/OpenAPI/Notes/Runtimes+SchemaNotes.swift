import WhatsAgentAPI

extension RuntimeDetectionResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "message": "The version, or the reason and what to do.",
        "path": "The resolved absolute path.",
        "runtime": .oneOf(RuntimeValue.allCases.map(\.rawValue)),
        "status": .oneOf(["found", "not_found", "timed_out", "failed"]),
        "version": "First line of the --version output.",
    ])
}

extension RuntimeSettingResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "How the daemon starts a runtime unless an agent has its own command.",
        fields: [
            "command": "A program name looked up on PATH, or a path; absent for `custom` until set.",
            "isDefault": "True while nothing was set: the built-in default applies.",
            "runtime": .oneOf(RuntimeValue.allCases.map(\.rawValue)),
        ]
    )
}

extension SetRuntimeRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "args": "Replaces the extra arguments (default: none)."
    ])
}
