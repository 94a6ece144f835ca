import WhatsAgentAPI

/// The RBAC rules as pure functions: deciding a call, filtering the tool list, and wording a denial.
public enum RBACPolicy {
    /// Decides a call. The effective mode is `mode` loosened to `ceiling`: `off` allows without checking, `soft`
    /// allows and reports a miss, `enforce` refuses on a miss. Ungated requirements are allowed without an outcome.
    public static func decide(requirement: Requirement, grants: [Grant], mode: RBACMode, ceiling: RBACMode) -> Decision {
        let effective = mode.capped(by: ceiling)
        guard effective != .off, requirement.isGated else { return Decision(mode: effective, outcome: nil) }
        guard let missing = requirement.checks.first(where: { check in !grants.contains(where: check.isSatisfied) }) else {
            return Decision(mode: effective, outcome: .pass)
        }
        return Decision(
            mode: effective,
            outcome: effective == .enforce ? .missHard : .missSoft,
            missing: missing,
            match: grants.contains(where: missing.isNearMiss) ? .close : Decision.Match.none
        )
    }

    /// The tools of `names` an agent sees, in the given order (`mode` is the effective mode): in `enforce` the tools
    /// whose every required grant is held (scoped grants count: the row decides at call time); in `soft` the tools
    /// whose family the grants hold (calls go ahead and are audited); everything in `off`. `whoami` and
    /// `check_messages` are always visible; tools RBAC does not know are hidden unless the mode is `off`. Calls are
    /// still checked one by one.
    public static func visibleTools(_ names: [String], grants: [Grant], mode: RBACMode) -> [String] {
        guard mode != .off else { return names }
        if mode == .enforce {
            // Only what the agent could actually call: every grant of the requirement (a scoped grant counts, since
            // the row decides at call time).
            return names.filter { name in
                guard let requirement = Requirement.forTool(name, facts: AuthorizationFacts(target: .notFound)) else { return false }
                return self.decide(requirement: requirement, grants: grants, mode: .enforce, ceiling: .enforce).isAllowed
            }
        }
        let families = Set(grants.filter { $0.kind == .toolFamily }.map(\.value))
        return names.filter { name in
            switch Requirement.family(ofTool: name) {
            case .none: false
            case .some(.none): true
            case .some(.some(let family)): families.contains(family.rawValue)
            }
        }
    }

    /// The names of the roles among `roles` whose grants satisfy `required`.
    public static func holders(of required: RequiredGrant, among roles: [RoleDefinition]) -> [String] {
        roles.filter { role in role.grants.contains(where: required.isSatisfied) }.map(\.name)
    }

    /// The `rbac_denied` error of a refused call: the tool, the missing grant, the caller's roles, and who to ask.
    /// - Parameters:
    ///   - caller: the caller's address (`repo:agent`).
    ///   - callerRoles: the caller's role names.
    ///   - roles: every role of the workspace, to name those that hold the grant.
    public static func denial(
        tool: String,
        decision: Decision,
        caller: String,
        callerRoles: [String],
        roles: [RoleDefinition]
    ) -> DomainError {
        guard let missing = decision.missing else {
            return DomainError(.rbacDenied, "\(tool) is not allowed for \(caller)")
        }
        let held = callerRoles.isEmpty ? "it holds no role" : "its roles (\(callerRoles.joined(separator: ", "))) do not grant it"
        let narrower = decision.match == .close ? " (they grant it only at a narrower scope)" : ""
        let holders = self.holders(of: missing, among: roles).filter { !callerRoles.contains($0) }
        let suggestion: String
        if holders.isEmpty {
            let role = callerRoles.first ?? "ROLE"
            suggestion =
                "no role grants it; the human can grant it with `whatsagent role grant \(role) \(missing.grantCommandArguments)`"
        } else {
            let names = holders.map { "the \($0) role" }
            let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            suggestion = "ask an agent with \(list) to do it, or ask the human to grant it to one of your roles"
        }
        return DomainError(
            .rbacDenied,
            "\(tool) is not allowed for \(caller): it needs \(missing) and \(held)\(narrower); \(suggestion)"
        )
    }
}
