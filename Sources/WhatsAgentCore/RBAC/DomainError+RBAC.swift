extension DomainError {
    package static func roleNotFound(_ name: String) -> DomainError {
        DomainError(.notFound, "no role named '\(name)' in this workspace; run `whatsagent role list` to see the roles")
    }
}
