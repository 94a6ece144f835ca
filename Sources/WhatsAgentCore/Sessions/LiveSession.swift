import Foundation

/// A session that has not ended: the thing that blocks removal of its agent, repo or workspace.
public struct LiveSession: Equatable, Sendable {
    public enum Kind: String, Sendable, Codable {
        case managed
        case external
    }

    public var id: SessionID
    public var agentID: AgentID?
    public var agentAddress: String
    public var kind: Kind
    public var startedAt: Date
    /// The runtime the session runs (`claude`, `codex`, …), when known.
    public var runtime: String?
    /// The agent's own one-line summary (`set_summary`).
    public var summary: String?
    /// The generated MCP config file of this session (removed when it ends).
    public var mcpConfigPath: String?

    public init(
        id: SessionID,
        agentID: AgentID?,
        agentAddress: String,
        kind: Kind,
        startedAt: Date,
        runtime: String? = nil,
        summary: String? = nil,
        mcpConfigPath: String? = nil
    ) {
        self.id = id
        self.agentID = agentID
        self.agentAddress = agentAddress
        self.kind = kind
        self.startedAt = startedAt
        self.runtime = runtime
        self.summary = summary
        self.mcpConfigPath = mcpConfigPath
    }
}

extension LiveSession {
    /// Why a session ended when its agent connected anew with `--replace`.
    package static let replacedReason = "replaced by a new session"

    /// Removing `what` (a repo, an agent) that has `live` sessions: nil when there are none; refused unless `force`;
    /// else the reason the store ends them with, in the removal's transaction.
    /// - Throws: `live_sessions`, naming them and `command --force`.
    package static func endReason(removing what: String, live: [LiveSession], force: Bool, command: String, reason: String) throws -> String? {
        guard !live.isEmpty else { return nil }
        guard force else { throw DomainError.liveSessions(live, what: what, command: command) }
        return "stopped: \(reason) with --force"
    }
}

extension DomainError {
    /// Refusal to remove something that has live sessions; names them and the way out.
    package static func liveSessions(_ sessions: [LiveSession], what: String, command: String) -> DomainError {
        let list = sessions.map { "\($0.agentAddress) (\($0.kind.rawValue) session \($0.id))" }.joined(separator: ", ")
        return DomainError(
            .liveSessions,
            "\(what) has live sessions: \(list); stop them first, or run `\(command) --force` to stop them and continue"
        )
    }
}
