import Foundation

/// Roles and grants (SPEC §10).
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol RBACStore: Sendable {
    /// Every role with its grants, built-in roles first, then custom roles by name.
    func roles() async throws -> [RoleDefinition]

    /// The role named `name` (case-insensitive).
    /// - Throws: `not_found`.
    func role(named name: String) async throws -> RoleDefinition

    /// The roles an agent holds and the union of their grants. Role names without a definition grant nothing.
    func effectiveGrants(of agent: AgentID) async throws -> EffectiveGrants

    /// Creates a custom role with no grants.
    /// - Throws: `invalid_name`, `invalid_argument` (description), `name_taken`.
    func insertRole(named rawName: String, description rawDescription: String, now: Date) async throws -> RoleDefinition

    /// Deletes a custom role and its grants.
    /// - Throws: `not_found`; `invalid_state` for a built-in role, or while agents hold the role (they are named).
    func deleteRole(named name: String) async throws

    /// Adds a grant to a role (built-in roles included). Adding a grant the role holds changes nothing.
    /// - Throws: `invalid_argument` for an invalid grant, `not_found`.
    func addGrant(_ grant: Grant, toRole name: String, now: Date) async throws -> RoleDefinition

    /// Removes a grant from a role (built-in roles included). The scope must match the one granted.
    /// - Throws: `not_found` for an unknown role or a grant the role does not hold.
    func removeGrant(_ grant: Grant, fromRole name: String, now: Date) async throws -> RoleDefinition
}
