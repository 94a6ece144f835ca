import Foundation

/// A directory registered in a workspace under a short unique name.
public struct Repo: Equatable, Sendable {
    public var id: RepoID
    public var name: String
    /// Absolute, standardized path with symlinks resolved.
    public var path: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: RepoID, name: String, path: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.path = path
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the directory still exists (it may have been deleted after registration).
    public var directoryExists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: self.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
