import Foundation

/// Validation of the user-chosen names: workspace, repo, agent and role names.
public enum Names {
    /// Longest repo, agent or workspace name.
    public static let maxLength = 64

    /// Names that `--workspace` and the API treat specially, so no workspace may carry them.
    public static let reservedWorkspaceNames: Set<String> = ["current"]

    /// Repo and agent names: `[A-Za-z0-9_-]+`, at most 64 characters.
    public static func validateSegment(_ name: String, kind: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw DomainError(.invalidName, "\(kind) name is empty; use letters, digits, '_' or '-'")
        }
        guard FreeText.length(trimmed) <= self.maxLength else {
            throw DomainError(.invalidName, "\(kind) name '\(trimmed)' is longer than \(self.maxLength) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy(Self.isSegmentScalar) else {
            throw DomainError(
                .invalidName,
                "\(kind) name '\(trimmed)' may contain only letters, digits, '_' and '-' (no ':', spaces or other characters)"
            )
        }
        return trimmed
    }

    /// Workspace names: letters, digits, `_`, `-` and `.`, starting with a letter or digit, at most 64 characters.
    public static func validateWorkspaceName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.unicodeScalars.first, Self.isAlphanumeric(first) else {
            throw DomainError(.invalidName, "workspace name '\(trimmed)' must start with a letter or digit")
        }
        guard FreeText.length(trimmed) <= self.maxLength else {
            throw DomainError(.invalidName, "workspace name '\(trimmed)' is longer than \(self.maxLength) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy({ Self.isSegmentScalar($0) || $0 == "." }) else {
            throw DomainError(
                .invalidName,
                "workspace name '\(trimmed)' may contain only letters, digits, '_', '-' and '.'"
            )
        }
        guard !self.reservedWorkspaceNames.contains(trimmed.lowercased()) else {
            throw DomainError(.invalidName, "'\(trimmed)' is reserved (it means the current workspace); pick another name")
        }
        return trimmed
    }

    /// Turns any string into a valid segment: other characters become `_`, leading and trailing `_` are trimmed.
    /// Returns nil when nothing usable remains.
    public static func sanitizeSegment(_ raw: String) -> String? {
        let mapped = String(String.UnicodeScalarView(raw.unicodeScalars.map { Self.isSegmentScalar($0) ? $0 : "_" }))
        let trimmed = mapped.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        guard !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(self.maxLength))
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    static func isSegmentScalar(_ scalar: Unicode.Scalar) -> Bool {
        Self.isAlphanumeric(scalar) || scalar == "_" || scalar == "-"
    }
}
