import Foundation

/// Branch names for agent worktrees (git's `check-ref-format` rules, checked here so a bad name is refused before
/// anything runs).
public enum WorktreeBranch {
    /// Longest branch name accepted.
    public static let maxLength = 200

    /// `wa/<agent>`, with characters git refuses replaced by `-`.
    public static func defaultName(forAgent agent: String) -> String {
        "wa/" + self.sanitize(agent)
    }

    /// A component git accepts: letters, digits, `.`, `_`, `-` (others become `-`), no leading `.`/`-`, no `..`,
    /// no `.lock` suffix.
    static func sanitize(_ text: String) -> String {
        var result = String(
            text.unicodeScalars.map { scalar -> Character in
                let allowed =
                    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
                return allowed ? Character(scalar) : "-"
            }
        )
        while result.contains("..") { result = result.replacingOccurrences(of: "..", with: ".") }
        while let first = result.first, first == "." || first == "-" { result.removeFirst() }
        while result.hasSuffix(".") || result.hasSuffix(".lock") {
            result = result.hasSuffix(".") ? String(result.dropLast()) : String(result.dropLast(5))
        }
        return result.isEmpty ? "agent" : result
    }

    /// Checks a branch the human chose; returns it trimmed.
    public static func validate(_ raw: String) throws -> String {
        let branch = raw.trimmingCharacters(in: .whitespaces)
        if let reason = self.problem(branch) {
            throw DomainError.invalidArgument(
                "'\(raw.prefix(80))' is not a valid git branch name (\(reason)); pass another with --branch, e.g. wa/my-agent"
            )
        }
        return branch
    }

    static func problem(_ branch: String) -> String? {
        if branch.isEmpty { return "it is empty" }
        if branch.count > self.maxLength { return "longer than \(self.maxLength) characters" }
        if branch == "@" || branch == "HEAD" { return "it is reserved" }
        if branch.hasPrefix("-") { return "it starts with -" }
        if branch.hasPrefix("/") || branch.hasSuffix("/") || branch.contains("//") { return "empty path component" }
        if branch.hasSuffix(".") || branch.contains("..") || branch.contains("@{") { return "it holds .., @{ or ends with ." }
        let forbidden = Set(" ~^:?*[\\".unicodeScalars)
        if branch.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 0x20 || $0.value == 0x7F }) {
            return "spaces, control characters and ~ ^ : ? * [ \\ are not allowed"
        }
        for component in branch.split(separator: "/") where component.hasPrefix(".") || component.hasSuffix(".lock") {
            return "a component starts with . or ends with .lock"
        }
        return nil
    }
}
