import Foundation

/// Resolves a command the way a shell does: a name containing `/` is a path (relative to the working directory),
/// any other name is searched in the `PATH` directories in order, where an empty entry or a relative one is taken
/// from the working directory (the child's, not the daemon's). The first executable regular file wins: a directory
/// or a file without the execute bit is skipped.
///
/// The one lookup of the daemon: detection (`RuntimeDetector`, the launch check) and spawning use the path it
/// returns; the pty (`PTYProcess` in WhatsAgentTerminal) takes that absolute path and searches nothing itself.
public struct ExecutableLookup: Sendable {
    /// The `PATH` value searched.
    public var path: String
    /// Where relative paths start.
    public var workingDirectory: String

    public init(path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.path = path
        self.workingDirectory = workingDirectory
    }

    /// Uses `PATH` of `environment` (or the usual system directories when it has none).
    public init(environment: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.init(path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", workingDirectory: workingDirectory)
    }

    /// The absolute path of an executable regular file for `command`, or nil.
    public func resolve(_ command: String) -> String? {
        guard !command.isEmpty else { return nil }
        if command.contains("/") {
            let absolute = command.hasPrefix("/") ? command : self.workingDirectory + "/" + command
            let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
            return Self.isExecutableFile(standardized) ? standardized : nil
        }
        for directory in self.path.split(separator: ":", omittingEmptySubsequences: false) {
            let base: String
            if directory.isEmpty {
                base = self.workingDirectory
            } else if directory.hasPrefix("/") {
                base = String(directory)
            } else {
                base = self.workingDirectory + "/" + directory
            }
            let candidate = URL(fileURLWithPath: base).appendingPathComponent(command).standardizedFileURL.path
            if Self.isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Like ``resolve(_:)`` but throws the error that names the fix.
    public func require(_ command: String, runtime: RuntimeKind) throws -> String {
        guard !command.isEmpty else { throw RuntimeError.noCommand(runtime: runtime) }
        guard let resolved = self.resolve(command) else { throw RuntimeError.commandNotFound(command: command, runtime: runtime) }
        return resolved
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
