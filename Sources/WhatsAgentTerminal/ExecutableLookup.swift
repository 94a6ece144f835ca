#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a command to an executable file the way a shell would, before anything is spawned.
enum ExecutableLookup {
    /// Used when the child's environment has no `PATH`.
    static let fallbackSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// The absolute (or cwd-relative) path of `command`: as given when it contains a slash, else the first
    /// executable match on `searchPath`.
    static func resolve(_ command: String, searchPath: String?, workingDirectory: String?) throws -> String {
        guard !command.isEmpty else { throw TerminalError.commandNotFound(command) }
        if command.contains("/") {
            var path = command
            if !command.hasPrefix("/"), let workingDirectory { path = "\(workingDirectory)/\(command)" }
            guard Self.isExecutableFile(path) else { throw TerminalError.commandNotFound(command) }
            return path
        }
        for directory in (searchPath ?? Self.fallbackSearchPath).split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(command)"
            if Self.isExecutableFile(candidate) { return candidate }
        }
        throw TerminalError.commandNotFound(command)
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
