import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `authorize` and `visibleTools` end to end: grants from the database, the workspace mode, the ceiling, audit rows.
@Suite struct RBACServiceTests {
    // MARK: Tests

    @Test func aHeldGrantPassesAndWritesOnePassEntry() async throws {
        let world = try await RBACWorld.make()
        let pm = try await world.identity("main")

        let decision = try await world.rbac.authorize(identity: pm, tool: "create_channel", ceiling: .enforce)

        #expect(decision.outcome == .pass)
        let entries = try await world.audit()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.kind == "grant_check_pass")
        #expect(entry.actorAddress == "api:main")
        #expect(entry.actorAgentID == pm.agent.id)
        #expect(entry.tool == "create_channel")
        #expect(entry.expectedGrant == "channel_action:create_channel")
        #expect(entry.outcome == AuditEntry.allowed)
        #expect(entry.at == world.clock.now)
        #expect(entry.detailJSON == #"{"mode":"enforce","roles":["pm"]}"#)
    }

    @Test func enforceRefusesAMissingGrantWithRbacDeniedAndAuditsIt() async throws {
        let world = try await RBACWorld.make()
        let dev = try await world.identity("dev")

        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(identity: dev, tool: "create_channel", ceiling: .enforce)
        }

        #expect(error?.code == .rbacDenied)
        #expect(error?.message.contains("create_channel is not allowed for api:dev") == true)
        #expect(error?.message.contains("channel_action:create_channel") == true)
        #expect(error?.message.contains("(engineer)") == true)
        #expect(error?.message.contains("ask an agent with the pm role") == true)
        let entry = try #require(try await world.audit().first)
        #expect(entry.kind == "grant_miss_hard")
        #expect(entry.outcome == AuditEntry.denied)
        #expect(entry.expectedGrant == "channel_action:create_channel")
        #expect(entry.detailJSON == #"{"match":"has-none","mode":"enforce","roles":["engineer"]}"#)
    }

    @Test func softAllowsAMissingGrantAndAuditsTheMiss() async throws {
        let world = try await RBACWorld.make(mode: .soft)
        let dev = try await world.identity("dev")

        let decision = try await world.rbac.authorize(identity: dev, tool: "broadcast_message", ceiling: .enforce)

        #expect(decision.outcome == .missSoft)
        #expect(try await world.audit().map(\.kind) == ["grant_miss_soft"])
    }

    @Test func theCeilingLoosensAnEnforcingWorkspace() async throws {
        let world = try await RBACWorld.make(mode: .enforce)
        let dev = try await world.identity("dev")

        let soft = try await world.rbac.authorize(identity: dev, tool: "create_channel", ceiling: .soft)
        let off = try await world.rbac.authorize(identity: dev, tool: "create_channel", ceiling: .off)

        #expect(soft.outcome == .missSoft)
        #expect(off == Decision(mode: .off, outcome: nil))
        #expect(try await world.audit().map(\.kind) == ["grant_miss_soft"])
    }

    @Test func theCeilingNeverTightensAnOffWorkspace() async throws {
        let world = try await RBACWorld.make(mode: .off)
        let restricted = try await world.identity("op")

        let decision = try await world.rbac.authorize(identity: restricted, tool: "broadcast_message", ceiling: .enforce)

        #expect(decision == Decision(mode: .off, outcome: nil))
        #expect(try await world.audit().isEmpty)
    }

    /// Each request authenticates its token, which resolves the workspace row as of that request.
    @Test func aModeChangeAppliesToTheNextCallOfALiveSession() async throws {
        let world = try await RBACWorld.make(mode: .enforce)
        let sessions = SessionService(workspaces: world.workspaces, hub: EventHub(), socketPath: "/s", executablePath: "/bin/whatsagent")
        let token = try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: false).token.rawValue
        let denial = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(identity: try await sessions.authenticate(token), tool: "create_channel", ceiling: .enforce)
        }
        #expect(denial?.code == .rbacDenied)

        try await world.setMode(.soft)
        let decision = try await world.rbac.authorize(identity: try await sessions.authenticate(token), tool: "create_channel", ceiling: .enforce)

        #expect(decision.outcome == .missSoft)
    }

    @Test(arguments: ["whoami", "check_messages"])
    func ungatedToolsAreNeitherRefusedNorAudited(_ tool: String) async throws {
        let world = try await RBACWorld.make()
        let operatorIdentity = try await world.identity("op")

        let decision = try await world.rbac.authorize(identity: operatorIdentity, tool: tool, ceiling: .enforce)

        #expect(decision.isAllowed)
        #expect(try await world.audit().isEmpty)
    }

    @Test func anUnknownToolIsRefusedUnlessRBACIsOff() async throws {
        let world = try await RBACWorld.make()
        let pm = try await world.identity("main")

        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(identity: pm, tool: "launch_rockets", ceiling: .enforce)
        }
        let off = try await world.rbac.authorize(identity: pm, tool: "launch_rockets", ceiling: .off)

        #expect(error?.code == .invalidArgument)
        #expect(off.isAllowed)
    }

    /// A read tool's check reads the grants and writes its audit row in one write transaction.
    @Test func aCheckIsOneWriteTransactionWithItsAuditRow() async throws {
        let world = try await RBACWorld.make()
        let dev = try await world.identity("dev")
        let database = try await world.database()

        let before = database.writeTransactionCount
        try await world.rbac.authorize(identity: dev, tool: "list_channels", ceiling: .enforce)
        await #expect(throws: DomainError.self) { try await world.rbac.authorize(identity: dev, tool: "create_channel", ceiling: .enforce) }
        try await world.rbac.authorize(identity: dev, tool: "whoami", ceiling: .enforce)

        #expect(database.writeTransactionCount == before + 2, "one per audited check; an ungated tool writes nothing")
        #expect(try await world.audit().map(\.outcome) == [AuditEntry.denied, AuditEntry.allowed])
    }

    @Test func boardFactsDecideScopedActions() async throws {
        let world = try await RBACWorld.make()
        let dev = try await world.identity("dev")

        let own = try await world.rbac.authorize(
            identity: dev,
            tool: "update_kanban_task_status",
            facts: .row(isAssignee: true, isCreator: false),
            ceiling: .enforce
        )
        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(
                identity: dev,
                tool: "update_kanban_task_status",
                facts: .row(isAssignee: false, isCreator: false),
                ceiling: .enforce
            )
        }

        #expect(own.outcome == .pass)
        #expect(error?.message.contains("narrower scope") == true)
        let entries = try await world.audit()
        #expect(entries.map(\.expectedGrant) == ["kanban_action:update_task_status", "kanban_action:update_task_status@own_assignment"])
        #expect(entries.first?.detailJSON?.contains("has-close") == true)
    }

    @Test func aCustomRoleAndEditedBuiltinGrantsApplyAtOnce() async throws {
        let world = try await RBACWorld.make()
        _ = try await world.rbac.createRole(named: "channel-admin", workspace: nil)
        _ = try await world.rbac.grant(.channel(.createChannel), to: "channel-admin", workspace: nil)
        try await world.assign(["engineer", "channel-admin"], to: "dev")
        let dev = try await world.identity("dev")

        let allowed = try await world.rbac.authorize(identity: dev, tool: "create_channel", ceiling: .enforce)
        _ = try await world.rbac.revoke(.channel(.postChannelMessage), from: "engineer", workspace: nil)
        let error = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(identity: dev, tool: "post_channel_message", ceiling: .enforce)
        }

        #expect(allowed.outcome == .pass)
        #expect(error?.message.contains("its roles (engineer, channel-admin)") == true)
        #expect(error?.message.contains("the pm role, the reviewer role or the researcher role") == true)
    }

    @Test func visibleToolsFollowTheAgentsFamiliesAndTheMode() async throws {
        let world = try await RBACWorld.make()
        let restricted = try await world.identity("ro")
        let names = RequirementTests.agentTools.map(\.tool)

        let enforced = try await world.rbac.visibleTools(names, identity: restricted, ceiling: .enforce)
        let loosened = try await world.rbac.visibleTools(names, identity: restricted, ceiling: .off)
        let everything = try await world.rbac.visibleTools(identity: restricted, ceiling: .enforce)

        #expect(enforced.contains("read_channel_messages") && !enforced.contains("send_message"))
        #expect(enforced.first == "whoami" && enforced.contains("check_messages"))
        #expect(loosened == names)
        #expect(everything.contains("list_kanban_tasks") && !everything.contains("comment_kanban_task"))
        #expect(try await world.audit().isEmpty)
    }

    @Test func whoamiGrantsAreTheAgentsRolesAndTheirUnion() async throws {
        let world = try await RBACWorld.make()
        let pm = try await world.identity("main")

        let held = try await world.rbac.effectiveGrants(identity: pm)

        #expect(held.roles == ["pm"])
        #expect(held.grants == RoleDefinition.builtin(named: "pm")?.grants)
    }
}
