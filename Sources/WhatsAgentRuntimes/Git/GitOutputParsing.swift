import Foundation

/// Parsers of git's machine-readable output (porcelain, `-z`, numstat), kept apart so they are tested on fixed text.
public enum GitOutputParsing {
    /// `git rev-list --left-right --count A...B` prints "<left>\t<right>": commits only in A, commits only in B.
    public static func leftRightCount(_ text: String) -> (left: Int, right: Int)? {
        let fields = text.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "\n" })
        guard fields.count == 2, let left = Int(fields[0]), let right = Int(fields[1]) else { return nil }
        return (left, right)
    }

    /// `git status --porcelain=v1 -z`: the number of entries. A rename or copy (`R`/`C` in either column) is followed
    /// by its source path as a separate NUL-terminated field, which is not an entry of its own.
    public static func statusEntryCount(_ data: Data) -> Int {
        let fields = data.split(separator: 0, omittingEmptySubsequences: true)
        var count = 0
        var index = 0
        while index < fields.count {
            let field = fields[index]
            count += 1
            let status = Array(field.prefix(2))
            let renamed = status.contains(UInt8(ascii: "R")) || status.contains(UInt8(ascii: "C"))
            index += renamed ? 2 : 1
        }
        return count
    }

    /// `git diff --numstat -z`: "<added>\t<removed>\t<path>\0" per file, or for a rename
    /// "<added>\t<removed>\t\0<old>\0<new>\0". Binary files have "-" counts (nil here).
    public static func numstat(_ data: Data) -> [(path: String, added: Int?, removed: Int?)] {
        let fields = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var files: [(String, Int?, Int?)] = []
        var index = 0
        while index < fields.count {
            let parts = fields[index].split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            index += 1
            guard parts.count == 3 else { continue }
            let added = Int(parts[0])
            let removed = Int(parts[1])
            if parts[2].isEmpty {
                // Rename: old and new path follow as their own fields.
                guard index + 1 < fields.count else { break }
                files.append(("\(fields[index]) → \(fields[index + 1])", added, removed))
                index += 2
            } else {
                files.append((String(parts[2]), added, removed))
            }
        }
        return files
    }

    /// `git worktree list --porcelain`: the `worktree <path>` lines (each entry's first line).
    public static func worktreePaths(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            line.hasPrefix("worktree ") ? String(line.dropFirst("worktree ".count)) : nil
        }
    }

    /// NUL-separated paths (`git ls-files -z`).
    public static func nulSeparated(_ data: Data) -> [String] {
        data.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
    }
}
