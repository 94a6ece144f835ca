import Foundation

/// A registered directory.
public struct RepoResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var path: String
    /// False when the directory was deleted after registration.
    public var exists: Bool
    public var createdAt: Date

    public init(id: String, name: String, path: String, exists: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.path = path
        self.exists = exists
        self.createdAt = createdAt
    }
}

public struct RepoList: Codable, Sendable, Equatable {
    public var repos: [RepoResponse]

    public init(repos: [RepoResponse]) {
        self.repos = repos
    }
}

/// `POST /api/v1/workspaces/{workspace}/repos`.
public struct CreateRepoRequest: Codable, Sendable, Equatable {
    /// Absolute path of an existing directory.
    public var path: String
    /// Defaults to the sanitized folder name.
    public var name: String?

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name
    }
}

/// Optional prompt material for an agent (SPEC §6.4).
public struct PersonaValue: Codable, Sendable, Equatable {
    public var description: String?
    public var responsibilities: String?
    public var boundaries: String?
    public var skills: String?
    public var workingStyle: String?
    public var extraPrompt: String?

    public init(
        description: String? = nil,
        responsibilities: String? = nil,
        boundaries: String? = nil,
        skills: String? = nil,
        workingStyle: String? = nil,
        extraPrompt: String? = nil
    ) {
        self.description = description
        self.responsibilities = responsibilities
        self.boundaries = boundaries
        self.skills = skills
        self.workingStyle = workingStyle
        self.extraPrompt = extraPrompt
    }
}

/// A session that has not ended.
public struct LiveSessionResponse: Codable, Sendable, Equatable {
    public var id: String
    public var agent: String
    /// `managed` or `external`.
    public var kind: String
    public var startedAt: Date

    public init(id: String, agent: String, kind: String, startedAt: Date) {
        self.id = id
        self.agent = agent
        self.kind = kind
        self.startedAt = startedAt
    }
}

/// An agent as the API shows it.
public struct AgentResponse: Codable, Sendable, Equatable {
    public var id: String
    /// `repo:agent`.
    public var address: String
    public var repo: String
    public var name: String
    public var runtime: RuntimeValue
    public var command: String?
    public var args: [String]
    public var roles: [String]
    public var isMain: Bool
    public var pushEnabled: Bool
    /// Whether the daemon types PTY nudges into a Codex or custom agent's terminal (with pushes on). Off, mail only
    /// raises the session's `pendingNudge` flag.
    public var nudgeEnabled: Bool
    /// The human muted the agent: its sends are refused.
    public var muted: Bool
    public var persona: PersonaValue?
    public var createdAt: Date
    public var updatedAt: Date
    /// The live session, else the latest one (nil when the agent never had one). Lists leave out its `exitTail`.
    public var session: AgentSessionResponse?
    /// The agent's git worktree (nil when the switch was never on; issue 23).
    public var worktree: AgentWorktreeResponse?
    /// How mail reaches its model now (SPEC §7.2), decided by the daemon.
    public var pushPath: AgentPushPath
    /// Why ``pushPath`` is not the runtime's own (a managed Claude's typed fallback), when it is not.
    public var pushPathReason: String?
    /// When a push hint last went out to its latest session, and by which path.
    public var lastPushAt: Date?
    public var lastPushPath: AgentPushPath?
    /// When its client last acted on a push (a `check_messages` after it, a re-read of `whatsagent://inbox`, the
    /// app-server's turn). Confirmation never marks a message surfaced.
    public var lastPushConfirmedAt: Date?
    /// Set while pushes go unconfirmed past `[push] confirm_seconds`, or while a fallback stands in for the runtime's
    /// path: what it means and what to do.
    public var pushWarning: String?

    public init(
        id: String,
        address: String,
        repo: String,
        name: String,
        runtime: RuntimeValue,
        command: String?,
        args: [String],
        roles: [String],
        isMain: Bool,
        pushEnabled: Bool,
        nudgeEnabled: Bool = true,
        muted: Bool = false,
        persona: PersonaValue?,
        createdAt: Date,
        updatedAt: Date,
        session: AgentSessionResponse? = nil,
        worktree: AgentWorktreeResponse? = nil,
        pushPath: AgentPushPath = .none,
        pushPathReason: String? = nil,
        lastPushAt: Date? = nil,
        lastPushPath: AgentPushPath? = nil,
        lastPushConfirmedAt: Date? = nil,
        pushWarning: String? = nil
    ) {
        self.id = id
        self.address = address
        self.repo = repo
        self.name = name
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.isMain = isMain
        self.pushEnabled = pushEnabled
        self.nudgeEnabled = nudgeEnabled
        self.muted = muted
        self.persona = persona
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.session = session
        self.worktree = worktree
        self.pushPath = pushPath
        self.pushPathReason = pushPathReason
        self.lastPushAt = lastPushAt
        self.lastPushPath = lastPushPath
        self.lastPushConfirmedAt = lastPushConfirmedAt
        self.pushWarning = pushWarning
    }
}

public struct AgentList: Codable, Sendable, Equatable {
    public var agents: [AgentResponse]

    public init(agents: [AgentResponse]) {
        self.agents = agents
    }
}

/// `POST /api/v1/workspaces/{workspace}/agents`.
public struct CreateAgentRequest: Codable, Sendable, Equatable {
    /// `repo:agent`.
    public var address: String
    public var runtime: RuntimeValue?
    public var command: String?
    public var args: [String]?
    /// Role names; defaults by name (`main` → pm, others → engineer).
    public var roles: [String]?
    public var main: Bool?
    public var persona: PersonaValue?
    /// PTY nudges for a Codex or custom agent (default true).
    public var nudgeEnabled: Bool?
    /// Start the agent in its own git worktree of the repo (refused when the repo is not a git repository).
    public var worktree: Bool?
    /// The worktree's branch (default `wa/<agent>`).
    public var worktreeBranch: String?

    public init(
        address: String,
        runtime: RuntimeValue? = nil,
        command: String? = nil,
        args: [String]? = nil,
        roles: [String]? = nil,
        main: Bool? = nil,
        persona: PersonaValue? = nil,
        nudgeEnabled: Bool? = nil,
        worktree: Bool? = nil,
        worktreeBranch: String? = nil
    ) {
        self.address = address
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.main = main
        self.persona = persona
        self.nudgeEnabled = nudgeEnabled
        self.worktree = worktree
        self.worktreeBranch = worktreeBranch
    }
}

/// `PATCH /api/v1/workspaces/{workspace}/agents/{agent}`: absent fields stay as they are.
public struct UpdateAgentRequest: Codable, Sendable, Equatable {
    public var runtime: RuntimeValue?
    /// An empty string clears the command override.
    public var command: String?
    /// Replaces the extra arguments.
    public var args: [String]?
    /// Replaces the roles.
    public var roles: [String]?
    /// Replaces the persona; an object with no fields clears it.
    public var persona: PersonaValue?
    public var pushEnabled: Bool?
    /// Mute (true) or unmute the agent.
    public var muted: Bool?
    /// PTY nudges on (true) or off for a Codex or custom agent; pushes of the other runtimes do not depend on it.
    public var nudgeEnabled: Bool?
    /// The worktree switch on (true) or off; off, the next launch starts in the repo and the folder stays.
    public var worktree: Bool?
    /// Replaces the worktree's branch (used from the next time the worktree is created).
    public var worktreeBranch: String?

    public init(
        runtime: RuntimeValue? = nil,
        command: String? = nil,
        args: [String]? = nil,
        roles: [String]? = nil,
        persona: PersonaValue? = nil,
        pushEnabled: Bool? = nil,
        muted: Bool? = nil,
        nudgeEnabled: Bool? = nil,
        worktree: Bool? = nil,
        worktreeBranch: String? = nil
    ) {
        self.runtime = runtime
        self.command = command
        self.args = args
        self.roles = roles
        self.persona = persona
        self.pushEnabled = pushEnabled
        self.muted = muted
        self.nudgeEnabled = nudgeEnabled
        self.worktree = worktree
        self.worktreeBranch = worktreeBranch
    }
}

/// `PUT /api/v1/workspaces/{workspace}/main-agent`.
public struct SetMainAgentRequest: Codable, Sendable, Equatable {
    /// `repo:agent`.
    public var agent: String

    public init(agent: String) {
        self.agent = agent
    }
}

/// The result of removing a repo or an agent: the sessions that had to be stopped (with `force`).
public struct RemovalResult: Codable, Sendable, Equatable {
    public var removed: String
    public var stoppedSessions: [LiveSessionResponse]

    public init(removed: String, stoppedSessions: [LiveSessionResponse]) {
        self.removed = removed
        self.stoppedSessions = stoppedSessions
    }
}

/// `DELETE /api/v1/workspaces/{workspace}/main-agent`.
public struct MainAgentResult: Codable, Sendable, Equatable {
    /// The agent that was main, if any.
    public var previous: String?

    public init(previous: String?) {
        self.previous = previous
    }
}
