import Foundation
import Testing

@testable import WhatsAgentCore

/// Custom roles, deletion refusals, grant editing and validation, through the service and the store.
@Suite struct RoleStoreTests {
    // MARK: Tests

    @Test func aCustomRoleIsCreatedGrantedRevokedAndDeleted() async throws {
        let world = try await RBACWorld.make()

        let created = try await world.rbac.createRole(named: " QA-Lead ", description: "Runs the test plan", workspace: nil)
        let granted = try await world.rbac.grant(try Grant.parse(kind: "tool_family", value: "kanban-read"), to: "qa-lead", workspace: nil)
        let scoped = try await world.rbac.grant(
            try Grant.parse(kind: "kanban_action", value: "comment_task", scope: "created_by_self"),
            to: "QA-LEAD",
            workspace: nil
        )
        let revoked = try await world.rbac.revoke(.family(.kanbanRead), from: "qa-lead", workspace: nil)
        let listed = try await world.rbac.roles(workspace: nil)
        try await world.rbac.deleteRole(named: "qa-lead", workspace: nil)
        let afterDelete = try await world.rbac.roles(workspace: nil)

        #expect(created == RoleDefinition(name: "qa-lead", description: "Runs the test plan", isBuiltin: false, grants: []))
        #expect(granted.grants == [.family(.kanbanRead)])
        #expect(scoped.grants == [.family(.kanbanRead), .kanban(.commentTask, scope: .createdBySelf)])
        #expect(revoked.grants == [.kanban(.commentTask, scope: .createdBySelf)])
        #expect(listed.map(\.name) == BuiltinRoles.names + ["qa-lead"])
        #expect(afterDelete.map(\.name) == BuiltinRoles.names)
        let gone = await #expect(throws: DomainError.self) { try await world.rbac.role(named: "qa-lead", workspace: nil) }
        #expect(gone?.code == .notFound)
    }

    @Test func customRolesAreListedByNameAfterTheBuiltinOnes() async throws {
        let world = try await RBACWorld.make(agents: [])

        for name in ["zeta", "alpha", "mid"] {
            _ = try await world.rbac.createRole(named: name, workspace: nil)
        }

        #expect(try await world.rbac.roles(workspace: nil).map(\.name) == BuiltinRoles.names + ["alpha", "mid", "zeta"])
    }

    @Test(arguments: ["", " ", "-lead", "_x", "qa lead", "qa.lead", "ünïcode", String(repeating: "a", count: 65)])
    func badRoleNamesAreRefused(_ name: String) async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.rbac.createRole(named: name, workspace: nil) }

        #expect(error?.code == .invalidName)
    }

    @Test func theLongestNameAndDigitsFirstAreAccepted() async throws {
        let world = try await RBACWorld.make(agents: [])
        let longest = "9" + String(repeating: "a", count: 63)

        #expect(try await world.rbac.createRole(named: longest, workspace: nil).name == longest)
        #expect(try await world.rbac.createRole(named: "2nd_line-support", workspace: nil).name == "2nd_line-support")
    }

    @Test(arguments: ["pm", "PM", "Engineer"])
    func aRoleNameIsUniqueWhateverItsCase(_ name: String) async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.rbac.createRole(named: name, workspace: nil) }

        #expect(error?.code == .nameTaken)
    }

    @Test func anOverlongDescriptionIsRefused() async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.createRole(named: "x", description: String(repeating: "d", count: 501), workspace: nil)
        }

        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: BuiltinRoles.names)
    func aBuiltinRoleCannotBeDeleted(_ name: String) async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.rbac.deleteRole(named: name, workspace: nil) }

        #expect(error?.code == .invalidState)
        #expect(error?.message.contains("built in") == true)
        #expect(try await world.rbac.role(named: name, workspace: nil).isBuiltin)
    }

    @Test func aRoleHeldByAgentsCannotBeDeletedAndTheyAreNamed() async throws {
        let world = try await RBACWorld.make()
        _ = try await world.rbac.createRole(named: "qa", workspace: nil)
        try await world.assign(["engineer", "qa"], to: "dev")
        try await world.assign(["QA"], to: "rev")

        let error = await #expect(throws: DomainError.self) { try await world.rbac.deleteRole(named: "qa", workspace: nil) }

        #expect(error?.code == .invalidState)
        #expect(error?.message.contains("api:dev, api:rev") == true)
        try await world.assign(["engineer"], to: "dev")
        try await world.assign(["reviewer"], to: "rev")
        try await world.rbac.deleteRole(named: "qa", workspace: nil)
    }

    @Test func deletingAnUnknownRoleIsNotFound() async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.rbac.deleteRole(named: "ghost", workspace: nil) }

        #expect(error?.code == .notFound)
    }

    @Test func builtinGrantsAreEditable() async throws {
        let world = try await RBACWorld.make(agents: [])

        let revoked = try await world.rbac.revoke(.kanban(.commentTask, scope: .createdBySelf), from: "engineer", workspace: nil)
        let granted = try await world.rbac.grant(.channel(.createChannel), to: "engineer", workspace: nil)

        #expect(!revoked.grants.contains(.kanban(.commentTask, scope: .createdBySelf)))
        #expect(granted.grants.contains(.channel(.createChannel)))
        #expect(granted.isBuiltin)
    }

    @Test func grantingTwiceChangesNothingAndRevokingWhatIsNotHeldIsNotFound() async throws {
        let world = try await RBACWorld.make(agents: [])
        let before = try await world.rbac.role(named: "pm", workspace: nil)

        let again = try await world.rbac.grant(.family(.messaging), to: "pm", workspace: nil)
        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.revoke(.kanban(.updateTaskStatus, scope: .ownAssignment), from: "pm", workspace: nil)
        }

        #expect(again == before)
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("kanban_action:update_task_status@own_assignment") == true)
    }

    @Test func grantingToAnUnknownRoleIsNotFound() async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.rbac.grant(.family(.summary), to: "ghost", workspace: nil) }

        #expect(error?.code == .notFound)
    }

    @Test(
        arguments: [
            ("runtime-launch", "x", nil, "unknown grant kind"),
            ("tool_family", "launch", nil, "is not a tool_family grant"),
            ("tool_family", "messaging", "own_assignment", "take no scope"),
            ("kanban_action", "update_task", "mine", "unknown scope"),
            ("kanban_action", "create_task", "own_assignment", "cannot be granted @own_assignment"),
            ("comment_type", "verdict", nil, "is not a comment_type grant"),
            ("channel_action", "send", nil, "is not a channel_action grant"),
        ] as [(String, String, String?, String)]
    )
    func invalidGrantsAreRefusedNamingWhatIsAllowed(_ kind: String, _ value: String, _ scope: String?, _ phrase: String) {
        let error = #expect(throws: DomainError.self) { try Grant.parse(kind: kind, value: value, scope: scope) }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(phrase) == true)
    }

    @Test func theStoreValidatesGrantsItIsGiven() async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.grant(Grant(.toolFamily, "runtime-launch"), to: "pm", workspace: nil)
        }

        #expect(error?.code == .invalidArgument)
    }

    @Test func grantInputIsNormalised() throws {
        #expect(try Grant.parse(kind: "CHANNEL_ACTION", value: "post") == .channel(.postChannelMessage))
        #expect(try Grant.parse(kind: "channel_action", value: "broadcast") == .channel(.broadcastMessage))
        #expect(try Grant.parse(kind: "kanban_action", value: "update_task", scope: "any") == .kanban(.updateTask))
        #expect(try Grant.parse(kind: "kanban_action", value: "Update_Task", scope: "OWN_ASSIGNMENT") == .kanban(.updateTask, scope: .ownAssignment))
        #expect(try Grant.parse(kind: "audit_grant", value: "audit_read", scope: "") == .audit(.auditRead))
        #expect(Grant.kanban(.commentTask, scope: .createdBySelf).description == "kanban_action:comment_task@created_by_self")
    }

    @Test func anAgentsGrantsAreTheUnionOfItsRolesAndUnknownRolesGrantNothing() async throws {
        let world = try await RBACWorld.make()
        _ = try await world.rbac.createRole(named: "broadcaster", workspace: nil)
        _ = try await world.rbac.grant(.channel(.broadcastMessage), to: "broadcaster", workspace: nil)
        try await world.assign(["restricted", "broadcaster", "vanished"], to: "ro")

        let held = try await world.rbac.effectiveGrants(workspace: nil, agent: try AgentAddress(parsing: "api:ro"))

        #expect(held.roles == ["restricted", "broadcaster", "vanished"])
        let restricted = try #require(RoleDefinition.builtin(named: "restricted"))
        #expect(held.grants == (restricted.grants + [.channel(.broadcastMessage)]).sorted())
    }

    @Test func twoRolesGrantingTheSameThingCountOnce() async throws {
        let world = try await RBACWorld.make()
        try await world.assign(["engineer", "researcher"], to: "dev")

        let held = try await world.rbac.effectiveGrants(identity: try await world.identity("dev"))

        #expect(held.grants.count == Set(held.grants).count)
        #expect(held.grants.contains(.kanban(.commentTask)))
        #expect(held.grants.contains(.kanban(.commentTask, scope: .ownAssignment)))
    }
}
