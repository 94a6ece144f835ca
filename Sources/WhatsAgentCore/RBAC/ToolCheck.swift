import Foundation
import Synchronization

/// The rows an RBAC check reads and writes inside a use case's write transaction (issue 19): the caller's grants, the
/// roles (to name the holders of a missing grant) and the audit log. Implemented per store, over its open transaction.
package protocol CheckRows: AnyObject {
    /// The roles the agent holds and the union of their grants.
    func effectiveGrants(of agent: AgentID) throws -> EffectiveGrants
    /// Every role with its grants, built-in roles first.
    func roles() throws -> [RoleDefinition]
    /// Appends one audit entry.
    func appendAudit(_ entry: AuditEntry) throws
}

/// One agent tool call's RBAC check, run inside the use case's own write transaction (issue 19: one write transaction
/// per use case, its checks and its audit row included). ``RBACService/check(identity:tool:in:ceiling:)`` builds it
/// from the workspace row the request resolved; the store's transaction runs ``run(_:facts:)`` before the use case.
///
/// A denied call commits its audit row and nothing else: ``Outcome/denied(_:)`` is returned (not thrown, which would
/// roll the audit row back) for the use case to return from its transaction and throw after the commit. An allowed call
/// whose use case then fails (its own rules, the rate limit) loses its transaction, audit row included: the use case
/// keeps the entry in a ``PendingAudit`` and writes it on its own then.
package struct ToolCheck: Sendable {
    package enum Outcome: Sendable {
        /// The call may go ahead; `audit` is the entry appended in the transaction (nil when the tool is not audited):
        /// if the use case then fails and rolls it back, the caller writes it on its own, so an audited call stays audited.
        case allowed(Decision, audit: AuditEntry?)
        case denied(DomainError)
    }

    let identity: AgentIdentity
    let tool: String
    /// The workspace mode after the daemon ceiling; never `off` (an `off` workspace builds no check).
    let mode: RBACMode
    let now: @Sendable () -> Date

    /// Decides the call on the grants read in `rows`, appends its audit entry there (when the tool is gated) and says
    /// whether it may go ahead. In `soft` mode a failure to read the grants allows the call unaudited, as the
    /// out-of-transaction check does.
    /// - Throws: `invalid_argument` for a tool RBAC does not know; a store failure in `enforce` mode.
    package func run(_ rows: any CheckRows, facts: AuthorizationFacts = .none) throws -> Outcome {
        guard let requirement = Requirement.forTool(self.tool, facts: facts) else {
            throw DomainError.invalidArgument("tool '\(self.tool)' has no RBAC requirement; it cannot be called")
        }
        guard requirement.isGated else { return .allowed(Decision(mode: self.mode, outcome: nil), audit: nil) }
        let held: EffectiveGrants
        do {
            held = try rows.effectiveGrants(of: self.identity.agent.id)
        } catch {
            guard self.mode == .soft else { throw error }
            return .allowed(Decision(mode: self.mode, outcome: nil), audit: nil)
        }
        let decision = self.decide(requirement, held)
        let entry = self.auditEntry(requirement, decision, roles: held.roles)
        try rows.appendAudit(entry)
        guard decision.isAllowed else {
            return .denied(self.denial(decision, held, roles: try rows.roles()))
        }
        return .allowed(decision, audit: entry)
    }

    /// The decision on `held` for `requirement`, with the scope a pass went through.
    func decide(_ requirement: Requirement, _ held: EffectiveGrants) -> Decision {
        var decision = RBACPolicy.decide(requirement: requirement, grants: held.grants, mode: self.mode, ceiling: self.mode)
        if decision.outcome == .pass { decision.matchedScope = Decision.matchedScope(requirement, grants: held.grants) }
        return decision
    }

    /// The refusal of a denied call: names the missing grant and who holds it.
    func denial(_ decision: Decision, _ held: EffectiveGrants, roles: [RoleDefinition]) -> DomainError {
        RBACPolicy.denial(
            tool: self.tool,
            decision: decision,
            caller: self.identity.agent.address.description,
            callerRoles: held.roles,
            roles: roles
        )
    }

    /// Extra detail of a decision entry.
    private struct Detail: Encodable {
        var mode: String
        var roles: [String]
        var match: String?
    }

    /// The audit entry of `decision`: a pass names the most specific grant checked, a miss the one missing.
    func auditEntry(_ requirement: Requirement, _ decision: Decision, roles: [String]) -> AuditEntry {
        let detail = Detail(mode: decision.mode.rawValue, roles: roles, match: decision.match?.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(detail)).map { String(decoding: $0, as: UTF8.self) }
        return AuditEntry(
            at: self.now(),
            kind: (decision.outcome ?? .pass).rawValue,
            actorAddress: self.identity.agent.address.description,
            actorAgentID: self.identity.agent.id,
            tool: requirement.tool,
            expectedGrant: (decision.missing ?? requirement.checks.last)?.description,
            outcome: decision.isAllowed ? AuditEntry.allowed : AuditEntry.denied,
            detailJSON: json
        )
    }
}

/// The audit entry of an allowed call whose transaction has not committed yet: set inside the transaction, read after
/// it failed, to write the entry on its own (an audited call stays audited).
package final class PendingAudit: Sendable {
    private let entry = Mutex<AuditEntry?>(nil)

    package init() {}

    package func hold(_ entry: AuditEntry?) {
        self.entry.withLock { $0 = entry }
    }

    /// The held entry, once: later calls return nil.
    package func take() -> AuditEntry? {
        self.entry.withLock { held in
            defer { held = nil }
            return held
        }
    }
}
