import Foundation

/// A named set of grants. An agent holds one or more roles; its effective grants are the union of theirs.
public struct RoleDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// Seeded by the schema: cannot be renamed or removed, but its grants can be edited.
    public var isBuiltin: Bool
    /// Sorted, without duplicates.
    public var grants: [Grant]

    public init(name: String, description: String, isBuiltin: Bool, grants: [Grant]) {
        self.name = name
        self.description = description
        self.isBuiltin = isBuiltin
        self.grants = Array(Set(grants)).sorted()
    }

    /// Longest role name.
    public static let maxNameLength = 64
    /// Longest role description.
    public static let maxDescriptionLength = 500

    /// Trims and lower-cases a role name and checks it against `^[a-z0-9][a-z0-9_-]{0,63}$`.
    /// - Throws: `invalid_name` saying what a role name may hold.
    public static func validateName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let scalars = Array(name.unicodeScalars)
        let isLetterOrDigit: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        guard let first = scalars.first, isLetterOrDigit(first), scalars.count <= self.maxNameLength,
            scalars.allSatisfy({ isLetterOrDigit($0) || $0 == "_" || $0 == "-" })
        else {
            throw DomainError(
                .invalidName,
                "role name '\(raw)' must start with a letter or digit and hold up to 64 letters, digits, '_' or '-'"
            )
        }
        return name
    }

    /// Trims a description and checks it (``FreeText``).
    /// - Throws: `invalid_argument` past 500 characters or for a NUL.
    public static func validateDescription(_ raw: String) throws -> String {
        let description = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try FreeText.check(description, field: "description", limit: self.maxDescriptionLength, advice: "a role description holds a sentence or two")
        return description
    }
}
