import Foundation

/// A runtime's daemon-wide launch setting (`GET /api/v1/runtimes`).
public struct RuntimeSettingResponse: Codable, Sendable, Equatable {
    /// `claude`, `codex`, `opencode`, `pi` or `custom`.
    public var runtime: String
    /// The command; absent for `custom` until one is set.
    public var command: String?
    /// Extra arguments given before the agent's own.
    public var args: [String]
    /// True while the built-in default applies (nothing was set).
    public var isDefault: Bool
    public var updatedAt: Date?

    public init(runtime: String, command: String?, args: [String], isDefault: Bool, updatedAt: Date?) {
        self.runtime = runtime
        self.command = command
        self.args = args
        self.isDefault = isDefault
        self.updatedAt = updatedAt
    }
}

/// `GET /api/v1/runtimes`.
public struct RuntimeSettingList: Codable, Sendable, Equatable {
    public var runtimes: [RuntimeSettingResponse]

    public init(runtimes: [RuntimeSettingResponse]) {
        self.runtimes = runtimes
    }
}

/// `PUT /api/v1/runtimes/{runtime}`: replaces the command and the extra arguments.
public struct SetRuntimeRequest: Codable, Sendable, Equatable {
    public var command: String
    public var args: [String]

    public init(command: String, args: [String] = []) {
        self.command = command
        self.args = args
    }
}

/// The result of `<command> --version` for one runtime (`POST /api/v1/runtimes/detect`).
public struct RuntimeDetectionResponse: Codable, Sendable, Equatable {
    public var runtime: String
    /// The command probed; empty for `custom` without one.
    public var command: String
    /// `found`, `not_found`, `timed_out` or `failed`.
    public var status: String
    /// The resolved absolute path.
    public var path: String?
    /// The first line of the version output, when found.
    public var version: String?
    /// The exit code of a failed probe.
    public var exitCode: Int32?
    /// One line: the version, or the reason and what to do.
    public var message: String
    public var checkedAt: Date

    public init(
        runtime: String,
        command: String,
        status: String,
        path: String?,
        version: String?,
        exitCode: Int32?,
        message: String,
        checkedAt: Date
    ) {
        self.runtime = runtime
        self.command = command
        self.status = status
        self.path = path
        self.version = version
        self.exitCode = exitCode
        self.message = message
        self.checkedAt = checkedAt
    }
}

/// `POST /api/v1/runtimes/detect`.
public struct RuntimeDetectionList: Codable, Sendable, Equatable {
    public var runtimes: [RuntimeDetectionResponse]

    public init(runtimes: [RuntimeDetectionResponse]) {
        self.runtimes = runtimes
    }
}
