import Foundation
import WhatsAgentAPI

/// How the daemon starts a runtime unless an agent overrides it (`whatsagent runtime set`, SPEC §4).
public struct RuntimeSetting: Equatable, Sendable {
    public var runtime: Runtime
    /// The command (a name on `PATH` or a path); nil for `custom` until one is set.
    public var command: String?
    /// Extra arguments given before the agent's own.
    public var args: [String]
    /// True while nothing was stored: the built-in default applies.
    public var isDefault: Bool
    public var updatedAt: Date?

    public init(runtime: Runtime, command: String?, args: [String], isDefault: Bool, updatedAt: Date?) {
        self.runtime = runtime
        self.command = command
        self.args = args
        self.isDefault = isDefault
        self.updatedAt = updatedAt
    }

    /// The built-in default: the runtime's own name (none for `custom`), no arguments.
    public static func builtin(_ runtime: Runtime) -> RuntimeSetting {
        RuntimeSetting(runtime: runtime, command: runtime == .custom ? nil : runtime.rawValue, args: [], isDefault: true, updatedAt: nil)
    }
}
