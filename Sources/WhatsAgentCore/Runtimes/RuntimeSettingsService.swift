import Foundation
import WhatsAgentAPI

/// The daemon-wide runtime settings (SPEC §4 `whatsagent runtime list | set`), stored in `daemon.sqlite`.
public struct RuntimeSettingsService: Sendable {
    static let maxCommandCharacters = 4096
    static let maxArguments = 64
    static let maxArgumentCharacters = 4096

    let registry: any DaemonStore
    let now: @Sendable () -> Date

    public init(workspaces: WorkspaceService, now: @escaping @Sendable () -> Date = WallClock.now) {
        self.registry = workspaces.registry
        self.now = now
    }

    /// Every runtime's setting, in the order of ``Runtime/allCases``.
    public func list() throws -> [RuntimeSetting] {
        try Runtime.allCases.map(self.setting)
    }

    /// One runtime's setting (its built-in default when never set).
    public func setting(_ runtime: Runtime) throws -> RuntimeSetting {
        guard let stored = try self.registry.runtimeSetting(runtime) else { return .builtin(runtime) }
        return RuntimeSetting(
            runtime: runtime,
            command: stored.command,
            args: stored.args,
            isDefault: false,
            updatedAt: Date(timeIntervalSince1970: stored.updatedAt)
        )
    }

    /// Replaces a runtime's command and extra arguments.
    /// - Throws: `invalid_argument` for an empty or overlong command, control characters, or too many arguments.
    public func set(_ runtime: Runtime, command: String, args: [String]) throws -> RuntimeSetting {
        let command = command.trimmingCharacters(in: .whitespaces)
        guard !command.isEmpty else {
            throw DomainError.invalidArgument(
                "the command is empty; give a program name or path, e.g. `whatsagent runtime set \(runtime.rawValue) --command /path/to/program`"
            )
        }
        try Self.check(command, what: "the command", limit: Self.maxCommandCharacters)
        guard args.count <= Self.maxArguments else {
            throw DomainError.invalidArgument("\(args.count) arguments given; the limit is \(Self.maxArguments) — wrap them in a script")
        }
        for (index, argument) in args.enumerated() {
            try Self.check(argument, what: "argument \(index + 1)", limit: Self.maxArgumentCharacters)
        }
        let now = self.now()
        try self.registry.setRuntimeSetting(
            runtime,
            StoredRuntimeSetting(command: command, args: args, updatedAt: now.timeIntervalSince1970),
            now: now
        )
        return try self.setting(runtime)
    }

    /// Rejects control characters (a NUL or a newline cannot be passed in argv sensibly) and overlong values.
    private static func check(_ value: String, what: String, limit: Int) throws {
        if FreeText.length(value) > limit {
            throw DomainError.invalidArgument("\(what) has \(FreeText.length(value)) characters; the limit is \(limit)")
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw DomainError.invalidArgument("\(what) contains a control character (newline, tab, NUL…); remove it")
        }
    }
}
