import Foundation

/// What to start and what to write first: the output of a recipe, consumed by the runner.
public struct LaunchPlan: Equatable, Sendable {
    /// Absolute path of the program.
    public var executable: String
    /// The arguments after the program name.
    public var arguments: [String]
    /// The complete environment of the process.
    public var environment: [String: String]
    public var workingDirectory: String
    /// Directories (0700) and files (0600) to create before the process starts, in order.
    public var files: [GeneratedFile]
    public var push: PushStrategy

    /// `argv`: the executable followed by the arguments.
    public var argv: [String] { [self.executable] + self.arguments }

    /// Creates the generated directories and files with their modes. Files are replaced atomically.
    public func writeFiles() throws {
        for file in self.files {
            switch file.kind {
            case .directory:
                try FileManager.default.createDirectory(atPath: file.path, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: file.path)
            case .file(let contents):
                let url = URL(fileURLWithPath: file.path)
                try contents.write(to: url, options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: file.path)
            }
        }
    }
}

/// A directory or file a plan writes.
public struct GeneratedFile: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case directory
        case file(Data)
    }

    public var path: String
    public var kind: Kind
    /// POSIX permissions: 0o700 for directories, 0o600 for files (they can hold the session token).
    public var mode: Int

    public static func directory(_ path: String) -> GeneratedFile {
        GeneratedFile(path: path, kind: .directory, mode: 0o700)
    }

    public static func file(_ path: String, _ contents: Data) -> GeneratedFile {
        GeneratedFile(path: path, kind: .file(contents), mode: 0o600)
    }

    public static func file(_ path: String, text: String) -> GeneratedFile {
        self.file(path, Data(text.utf8))
    }

    /// The file's text (nil for a directory).
    public var text: String? {
        guard case .file(let data) = self.kind else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
