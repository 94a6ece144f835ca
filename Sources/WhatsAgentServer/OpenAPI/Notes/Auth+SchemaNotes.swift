import WhatsAgentAPI

extension AuthLoginResult: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "recoveryCode": "Present after setup and recovery only; shown once."
        ])
    }
}

extension AuthRecoverRequest: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "newPassword": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
        ])
    }
}

extension AuthSetupRequest: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "password": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
        ])
    }
}

extension ChangePasswordRequest: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "newPassword": FieldNote("8 characters to 72 UTF-8 bytes.", .minLength(8))
        ])
    }
}

extension NewRecoveryCodeResult: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "recoveryCode": "Shown once."
        ])
    }
}

extension RevokedSessions: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "revoked": .count
        ])
    }
}
