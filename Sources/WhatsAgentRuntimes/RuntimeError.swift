import WhatsAgentAPI

/// Why a launch plan cannot be made. The message says what to do instead.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command is neither an executable path nor found on `PATH`.
    case commandNotFound(command: String, runtime: RuntimeKind)
    /// The runtime has no command configured (`custom` without one).
    case noCommand(runtime: RuntimeKind)

    public var description: String {
        switch self {
        case .commandNotFound(let command, let runtime):
            if command.contains("/") {
                return "\(command) does not exist or is not executable; install \(runtime.rawValue) there or run "
                    + "`whatsagent runtime set \(runtime.rawValue) --command /path/to/\(runtime.defaultCommand ?? "program")`"
            }
            return "\(command) not found on PATH; install it or run "
                + "`whatsagent runtime set \(runtime.rawValue) --command /path/to/\(command)`"
        case .noCommand(let runtime):
            return "the \(runtime.rawValue) runtime has no command; give the agent one with "
                + "`whatsagent agent set REPO:NAME --command CMD` or run `whatsagent runtime set \(runtime.rawValue) --command CMD`"
        }
    }
}
