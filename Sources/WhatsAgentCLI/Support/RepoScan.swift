import Foundation

/// Finds the git repositories of `repo add --scan DIR` and resolves the paths of `repo add` from the CLI's folder.
enum RepoScan {
    /// Default depth of `--scan`: DIR itself is depth 0, its children depth 1, …
    static let defaultDepth = 3

    /// `path` as an absolute, standardized path; a relative path is taken from `currentDirectory`.
    static func absolute(_ path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : URL(fileURLWithPath: expanded, relativeTo: base)
        let standardized = url.standardizedFileURL.path
        return standardized.count > 1 && standardized.hasSuffix("/") ? String(standardized.dropLast()) : standardized
    }

    /// True when `path` is the top of a git repository (it holds `.git`, a folder or a worktree's file).
    static func isRepository(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/.git")
    }

    /// The git repositories at or under `root`, at most `depth` levels down, sorted by path. A repository's own folders
    /// are not searched further (nested checkouts belong to it); hidden folders and symbolic links are not followed.
    static func repositories(under root: String, depth: Int) -> [String] {
        var found: [String] = []
        self.walk(root, remaining: depth, into: &found)
        return found.sorted()
    }

    private static func walk(_ folder: String, remaining: Int, into found: inout [String]) {
        if self.isRepository(folder) { return found.append(folder) }
        guard remaining > 0, let children = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for child in children.sorted() where !child.hasPrefix(".") {
            let path = folder == "/" ? "/" + child : folder + "/" + child
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
                type == .typeDirectory
            else { continue }
            self.walk(path, remaining: remaining - 1, into: &found)
        }
    }
}
