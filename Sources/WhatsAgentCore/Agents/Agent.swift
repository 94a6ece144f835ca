import Foundation

/// A named identity inside a repo, addressed `repo:agent`.
public struct Agent: Equatable, Sendable {
    public var id: AgentID
    public var repoID: RepoID
    public var repoName: String
    public var name: String
    public var runtime: Runtime
    /// Overrides the runtime's command when set.
    public var command: String?
    public var args: [String]
    public var roles: [String]
    public var isMain: Bool
    /// Whether pushes (notifications, nudges) are delivered to this agent.
    public var pushEnabled: Bool
    public var persona: Persona?
    public var createdAt: Date
    public var updatedAt: Date
    /// The human muted the agent: its direct messages, broadcasts, channel posts, board comments and board text, and
    /// `set_summary` are refused; status moves are not (SPEC §7.5, issue 14).
    public var muted = false
    /// Whether the daemon types PTY nudges into a Codex or custom agent's terminal (`agent set --nudge`). Off, mail
    /// only raises the session's pending-nudge flag; pushes of the other runtimes do not depend on it.
    public var nudgeEnabled = true

    public var address: AgentAddress { AgentAddress(repo: self.repoName, agent: self.name) }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: AgentID,
        repoID: RepoID,
        repoName: String,
        name: String,
        runtime: Runtime,
        command: String? = nil,
        args: [String],
        roles: [String],
        isMain: Bool,
        pushEnabled: Bool,
        persona: Persona? = nil,
        createdAt: Date,
        updatedAt: Date,
        muted: Bool = false,
        nudgeEnabled: Bool = true
    ) {
        self.id = id
        self.repoID = repoID
        self.repoName = repoName
        self.name = name
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.isMain = isMain
        self.pushEnabled = pushEnabled
        self.persona = persona
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.muted = muted
        self.nudgeEnabled = nudgeEnabled
    }
}

/// The built-in RBAC roles (SPEC §10). Role definitions arrive with the RBAC work; agents store role names now.
public enum BuiltinRoles {
    public static let names = ["pm", "engineer", "reviewer", "researcher", "restricted", "operator"]

    /// Roles an agent gets when none are given: `main` → pm, anything else → engineer.
    public static func defaults(forAgentNamed name: String) -> [String] {
        name.lowercased() == "main" ? ["pm"] : ["engineer"]
    }

    /// Lower-cases and checks role names against the workspace's roles; removes duplicates, keeping order.
    public static func validate(_ roles: [String], known: [String] = BuiltinRoles.names) throws -> [String] {
        var result: [String] = []
        for raw in roles {
            let role = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard known.contains(role) else {
                throw DomainError(
                    .invalidArgument,
                    "unknown role '\(raw)'; the roles are \(known.joined(separator: ", ")) (create one with `whatsagent role add NAME`)"
                )
            }
            if !result.contains(role) { result.append(role) }
        }
        return result
    }
}

/// The fields of `agent add`.
public struct AgentDraft: Sendable {
    public var address: AgentAddress
    public var runtime: Runtime?
    public var command: String?
    public var args: [String]
    public var roles: [String]
    public var isMain: Bool
    public var persona: Persona?
    public var nudgeEnabled: Bool

    public init(
        address: AgentAddress,
        runtime: Runtime? = nil,
        command: String? = nil,
        args: [String] = [],
        roles: [String] = [],
        isMain: Bool = false,
        persona: Persona? = nil,
        nudgeEnabled: Bool = true
    ) {
        self.address = address
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.isMain = isMain
        self.persona = persona
        self.nudgeEnabled = nudgeEnabled
    }
}

/// The fields of `agent set`; nil leaves a field unchanged.
public struct AgentPatch: Sendable {
    public var runtime: Runtime?
    /// `.some("")` clears the command override.
    public var command: String?
    public var args: [String]?
    public var roles: [String]?
    /// `.some(Persona())` (empty) clears the persona.
    public var persona: Persona?
    public var pushEnabled: Bool?
    public var muted: Bool?
    public var nudgeEnabled: Bool?

    public init(
        runtime: Runtime? = nil,
        command: String? = nil,
        args: [String]? = nil,
        roles: [String]? = nil,
        persona: Persona? = nil,
        pushEnabled: Bool? = nil,
        muted: Bool? = nil,
        nudgeEnabled: Bool? = nil
    ) {
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.persona = persona
        self.pushEnabled = pushEnabled
        self.muted = muted
        self.nudgeEnabled = nudgeEnabled
    }
}
