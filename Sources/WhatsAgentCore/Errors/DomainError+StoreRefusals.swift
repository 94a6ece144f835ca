import Foundation

/// The refusals the store's checks make inside their transactions (name clashes, one live session per agent, a held
/// role, a pair's peer rule): worded once here, so every implementation refuses in the same words.
extension DomainError {
    // MARK: - Repos and agents

    package static func repoNameTaken(_ existing: String, path: String) -> DomainError {
        DomainError(.nameTaken, "a repo named '\(existing)' already exists in this workspace (\(path)); pass --name to pick another")
    }

    package static func repoPathTaken(_ path: String, name: String) -> DomainError {
        DomainError(.pathTaken, "\(path) is already registered in this workspace as '\(name)'")
    }

    package static func agentNameTaken(_ address: AgentAddress) -> DomainError {
        DomainError(
            .nameTaken,
            "agent \(address) already exists; change it with `whatsagent agent set \(address)` or pick another name"
        )
    }

    /// A second live session for `session`'s agent, which already has `live`.
    package static func sessionExists(_ session: LiveSession, live: LiveSession) -> DomainError {
        DomainError(
            .sessionExists,
            "\(session.agentAddress) already has a live \(live.kind.rawValue) session (\(live.id), started \(live.startedAt)); pass --replace to end it and connect anew, or `whatsagent agent disconnect \(session.agentAddress)`"
        )
    }

    // MARK: - Roles

    package static func roleNameTaken(_ name: String) -> DomainError {
        DomainError(
            .nameTaken,
            "a role named '\(name)' already exists; pick another name, or change its grants with `whatsagent role grant \(name) KIND VALUE`"
        )
    }

    package static func builtinRoleKept(_ name: String) -> DomainError {
        DomainError(
            .invalidState,
            "role '\(name)' is built in and cannot be removed; change its grants with `whatsagent role grant|revoke \(name) KIND VALUE`"
        )
    }

    /// A role still held by `holders` (`repo:agent` addresses).
    package static func roleStillHeld(_ name: String, by holders: [String]) -> DomainError {
        DomainError(
            .invalidState,
            "role '\(name)' is still held by \(holders.joined(separator: ", ")); give them other roles with `whatsagent agent set REPO:NAME --role ROLE` first"
        )
    }

    package static func grantNotHeld(_ grant: Grant, role: String) -> DomainError {
        DomainError(.notFound, "role '\(role)' does not hold \(grant); see its grants with `whatsagent role show \(role)`")
    }

    // MARK: - Peer rules and channels

    package static func peerRuleExists(_ first: Agent, _ second: Agent) -> DomainError {
        DomainError(
            .invalidState,
            "a peer rule for \(first.address) and \(second.address) already exists; `whatsagent peer-rule list` shows the rules"
        )
    }

    package static func peerRuleMissing(_ first: Agent, _ second: Agent) -> DomainError {
        DomainError(
            .notFound,
            "there is no peer rule for \(first.address) and \(second.address); `whatsagent peer-rule list` shows the rules"
        )
    }

    package static func channelNameTaken(_ name: String) -> DomainError {
        DomainError(.nameTaken, "channel #\(name) already exists; join it with join_channel")
    }
}
