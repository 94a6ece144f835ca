import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `whatsagent mcp` hands itself over to the lean companion executable, `whatsagent-mcp`, when one lies beside the
/// running binary (issue 21): the agent's process then maps a binary built only from the MCP, client and API modules.
/// The companion is found beside the binary itself (`/proc/self/exe`), never through `PATH`, so what runs is what
/// was installed together; without one, `whatsagent mcp` serves in-process as before.
public enum MCPCompanion {
    public static let executableName = "whatsagent-mcp"

    /// The companion beside the running binary, when it is an executable file.
    static func path() -> String? {
        guard let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent(Self.executableName).path
        var info = stat()
        guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 else { return nil }
        return candidate
    }

    /// Replaces this process with the companion for `whatsagent mcp` (exactly that: options such as `--help` stay with
    /// the full CLI). Returns only when there is no companion or the exec failed; the environment, stdin and stdout
    /// carry over unchanged, and so does the command line (`whatsagent mcp` in `ps`), which the companion ignores.
    public static func execIfPresent(_ arguments: [String]) {
        guard arguments == ["mcp"], let path = self.path() else { return }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(CommandLine.arguments.first ?? "whatsagent"), strdup("mcp"), nil]
        execv(path, argv)
        // The exec failed (removed between the check and the call): serve in-process.
        for pointer in argv { free(pointer) }
    }
}
