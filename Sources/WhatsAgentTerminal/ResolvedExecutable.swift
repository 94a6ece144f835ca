#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The check ``PTYProcess`` makes on the command it is given: an absolute path to an executable regular file.
///
/// The pty does not search `PATH`. The daemon resolves a command once, with `ExecutableLookup` (WhatsAgentRuntimes),
/// and that one path is both what detection reports and what is spawned; a second lookup here, with its own reading
/// of `PATH`, could pick another file.
enum ResolvedExecutable {
    /// `command` itself when it is an absolute path to an executable regular file.
    /// - Throws: ``TerminalError/commandNotFound(_:)`` for a name, a relative path, or a path that is not such a file.
    static func check(_ command: String) throws -> String {
        guard command.hasPrefix("/"), Self.isExecutableFile(command) else { throw TerminalError.commandNotFound(command) }
        return command
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
