import Foundation
import Synchronization
import WhatsAgentAPI

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
/// per use case, its checks and its audit row included). ``RBACService/check(identity:tool:ceiling:)`` builds it; the
/// store's transaction runs ``run(_:facts:)`` before the use case, under the workspace row the caller's request
/// resolved (its identity's).
///
/// A denied call commits its audit row and nothing else: ``Outcome/denied(_:)`` is returned (not thrown, which would
/// roll the audit row back) for the use case to return from its transaction and throw after the commit. A use case that
/// fails otherwise is settled by whoever made the check (``settleAfterFailure(checkIfNotRun:)``).
public struct ToolCheck: Sendable {
    public enum Outcome: Sendable {
        /// The call may go ahead (its audit entry, if any, was appended in the transaction).
        case allowed(Decision)
        case denied(DomainError)
    }

    /// The workspace row the caller's request resolved (its RBAC mode applies).
    let workspace: Workspace
    /// The calling agent.
    let agent: Agent
    /// The store a failed use case's check is settled through (``settleAfterFailure(checkIfNotRun:)``): the workspace's.
    let store: any MessagingStore
    let tool: String
    /// The daemon's ceiling: the workspace's mode is loosened to it.
    let ceiling: RBACMode
    let now: @Sendable () -> Date
    /// Whether it ran, and the entry of an allowed run until the caller knows its transaction committed.
    private let state = CheckState()

    /// The check of `tool` called by `identity`'s agent, under its workspace row, settled through its store.
    init(identity: AgentIdentity, tool: String, ceiling: RBACMode, now: @escaping @Sendable () -> Date) {
        self.init(workspace: identity.workspace, agent: identity.agent, store: identity.store, tool: tool, ceiling: ceiling, now: now)
    }

    /// The check of `tool` called by `agent` under `workspace`, settled through `store` (the workspace's: a store that
    /// implements only some concerns, in the contract tests, is enough).
    package init(
        workspace: Workspace,
        agent: Agent,
        store: any MessagingStore,
        tool: String,
        ceiling: RBACMode,
        now: @escaping @Sendable () -> Date
    ) {
        (self.workspace, self.agent, self.store, self.tool, self.ceiling, self.now) = (workspace, agent, store, tool, ceiling, now)
    }

    /// The calling agent, whose grants the check reads (a store reads them before it runs when its driver is
    /// asynchronous).
    package var callerID: AgentID { self.agent.id }

    /// Decides the call on the grants read in `rows`, appends its audit entry there (when the tool is gated) and says
    /// whether it may go ahead. The workspace's mode as the request resolved it, loosened to the ceiling, applies (`off`
    /// checks and audits nothing). In `soft` mode a failure to read the grants allows the call unaudited, as the
    /// out-of-transaction check does.
    /// - Throws: `invalid_argument` for a tool RBAC does not know; a store failure in `enforce` mode.
    package func run(_ rows: any CheckRows, facts: AuthorizationFacts = .none) throws -> Outcome {
        let mode = self.workspace.rbacMode.capped(by: self.ceiling)
        self.state.set(.allowed(nil))
        guard mode != .off else { return .allowed(Decision(mode: .off, outcome: nil)) }
        guard let requirement = Requirement.forTool(self.tool, facts: facts) else {
            throw DomainError.invalidArgument("tool '\(self.tool)' has no RBAC requirement; it cannot be called")
        }
        guard requirement.isGated else { return .allowed(Decision(mode: mode, outcome: nil)) }
        let held: EffectiveGrants
        do {
            held = try rows.effectiveGrants(of: self.agent.id)
        } catch {
            guard mode == .soft else { throw error }
            return .allowed(Decision(mode: mode, outcome: nil))
        }
        let decision = Self.decide(requirement, held, mode: mode)
        let entry = self.auditEntry(requirement, decision, roles: held.roles)
        try rows.appendAudit(entry)
        guard decision.isAllowed else {
            self.state.set(.settled)
            return .denied(self.denial(decision, held, roles: try rows.roles()))
        }
        self.state.set(.allowed(entry))
        return .allowed(decision)
    }

    /// Records that the use case's transaction committed (its audit row with it): a failure after the commit (a
    /// topology refusal thrown after the rejected row was stored) writes nothing more. The use case calls it once the
    /// store returned.
    package func committed() {
        self.state.set(.settled)
    }

    /// Settles the check of a use case that failed (call it only then, before rethrowing the failure): a check that
    /// never ran (the call was refused before its transaction) runs in a transaction of its own, and its denial is
    /// thrown instead of the failure — the caller hears of its missing grant first, as before any other refusal; an
    /// allowed check whose transaction rolled back writes its audit entry on its own. Either way the call stays audited.
    /// - Parameter checkIfNotRun: false where other refusals came first before this issue too (the board: the mute
    ///   and an unknown item are refused unaudited).
    package func settleAfterFailure(checkIfNotRun: Bool = true) async throws {
        let store = self.store
        switch self.state.take() {
        case .notRun:
            guard checkIfNotRun else { return }
            if case .denied(let denial) = try await store.runCheck(self, facts: .none) { throw denial }
        case .allowed(let entry?):
            try? await store.recordAudit(entry)
        case .allowed(nil), .settled:
            break
        }
    }

    /// The decision on `held` for `requirement`, with the scope a pass went through.
    private static func decide(_ requirement: Requirement, _ held: EffectiveGrants, mode: RBACMode) -> Decision {
        var decision = RBACPolicy.decide(requirement: requirement, grants: held.grants, mode: mode, ceiling: mode)
        if decision.outcome == .pass { decision.matchedScope = Decision.matchedScope(requirement, grants: held.grants) }
        return decision
    }

    /// The refusal of a denied call: names the missing grant and who holds it.
    private func denial(_ decision: Decision, _ held: EffectiveGrants, roles: [RoleDefinition]) -> DomainError {
        RBACPolicy.denial(
            tool: self.tool,
            decision: decision,
            caller: self.agent.address.description,
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
    private func auditEntry(_ requirement: Requirement, _ decision: Decision, roles: [String]) -> AuditEntry {
        let detail = Detail(mode: decision.mode.rawValue, roles: roles, match: decision.match?.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(detail)).map { String(decoding: $0, as: UTF8.self) }
        return AuditEntry(
            at: self.now(),
            kind: (decision.outcome ?? .pass).rawValue,
            actorAddress: self.agent.address.description,
            actorAgentID: self.agent.id,
            tool: requirement.tool,
            expectedGrant: (decision.missing ?? requirement.checks.last)?.description,
            outcome: decision.isAllowed ? AuditEntry.allowed : AuditEntry.denied,
            detailJSON: json
        )
    }
}

/// Where a ``ToolCheck`` stands: not run yet, allowed (with the entry its transaction appended), or done with.
final class CheckState: Sendable {
    enum State: Sendable {
        case notRun
        case allowed(AuditEntry?)
        case settled
    }

    private let state = Mutex<State>(.notRun)

    func set(_ state: State) {
        self.state.withLock { $0 = state }
    }

    /// The state, leaving `settled` behind.
    func take() -> State {
        self.state.withLock { state in
            defer { state = .settled }
            return state
        }
    }
}
