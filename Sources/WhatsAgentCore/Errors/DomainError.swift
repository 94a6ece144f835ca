/// The one error type of the domain: a stable machine code plus a message that says what was refused, why, and
/// what to do instead.
///
/// Each transport maps it once: HTTP status and `{"error":{"code","message"}}` body, MCP tool error, CLI line and
/// exit code. Codes are part of the public contract and are never renamed.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stable error code. The raw values are the wire codes.
    public enum Code: String, Sendable, CaseIterable {
        case invalidArgument = "invalid_argument"
        case invalidName = "invalid_name"
        case notFound = "not_found"
        case workspaceNotFound = "workspace_not_found"
        case repoNotFound = "repo_not_found"
        case agentNotFound = "agent_not_found"
        case noCurrentWorkspace = "no_current_workspace"
        case nameTaken = "name_taken"
        case pathTaken = "path_taken"
        case liveSessions = "live_sessions"
        case invalidState = "invalid_state"
        case configuration = "configuration_error"
        case databaseTooNew = "database_too_new"
        case storage = "storage_error"
        case daemonAlreadyRunning = "daemon_already_running"
        case homePathTooLong = "home_path_too_long"
        case bindFailed = "bind_failed"
        case invalidSessionToken = "invalid_session_token"
        case sessionExists = "session_exists"
        case topologyRefused = "topology_refused"
        case idempotencyConflict = "idempotency_conflict"
        case rateLimited = "rate_limited"
        case rbacDenied = "rbac_denied"
        /// The human muted the sending agent (SPEC §7.5).
        case agentMuted = "agent_muted"
        /// The web API needs a logged-in session (or first-run setup).
        case authenticationRequired = "authentication_required"
        /// A wrong password, recovery code or setup token.
        case invalidCredentials = "invalid_credentials"
        /// Too many failed logins: the web login is locked for a while.
        case accountLocked = "account_locked"
        /// A state-changing web request without the session's CSRF token.
        case csrfTokenInvalid = "csrf_token_invalid"
        /// The `Host` header is not one the daemon serves (DNS-rebinding defence).
        case hostNotAllowed = "host_not_allowed"
        /// The `Origin` of a state-changing web request is not the daemon's own.
        case originNotAllowed = "origin_not_allowed"
        /// A human-only route was called by a process that descends from a managed agent's runner (SPEC §2).
        case humanOnly = "human_only"
        /// The program an agent launch needs is missing (not on PATH, not executable, or none configured).
        case commandNotFound = "command_not_found"
        /// The runner of a managed session could not be started or reached.
        case launchFailed = "launch_failed"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}

extension DomainError {
    public static func invalidArgument(_ message: String) -> DomainError { DomainError(.invalidArgument, message) }

    public static func workspaceNotFound(_ reference: String) -> DomainError {
        DomainError(
            .workspaceNotFound,
            "no workspace named or with id '\(reference)'; run `whatsagent workspace list` to see the workspaces"
        )
    }

    public static func repoNotFound(_ name: String) -> DomainError {
        DomainError(.repoNotFound, "no repo named '\(name)' in this workspace; run `whatsagent repo list` to see the repos")
    }

    public static func agentNotFound(_ reference: String) -> DomainError {
        DomainError(
            .agentNotFound,
            "no agent '\(reference)' in this workspace; agents are addressed repo:name — run `whatsagent agent list`"
        )
    }
}
