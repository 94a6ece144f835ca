import WhatsAgentAPI

extension AuthLoginResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "recoveryCode": "Present after setup and recovery only; shown once."
    ])
}

extension AuthRecoverRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "newPassword": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
    ])
}

extension AuthSetupRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "password": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
    ])
}

extension ChangePasswordRequest: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "newPassword": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
    ])
}

extension NewRecoveryCodeResult: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "recoveryCode": "Shown once."
    ])
}

extension RevokedSessions: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "revoked": .count
    ])
}
