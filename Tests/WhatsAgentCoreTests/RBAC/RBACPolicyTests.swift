import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Decisions in each mode and ceiling, scope matching, denial wording and the tool-visibility filter.
@Suite struct RBACPolicyTests {
    func grants(_ role: String) throws -> [Grant] {
        try #require(RoleDefinition.builtin(named: role)).grants
    }

    func requirement(_ tool: String, _ facts: AuthorizationFacts = .none) throws -> Requirement {
        try #require(Requirement.forTool(tool, facts: facts))
    }

    /// Workspace mode, daemon ceiling, and the effective mode: the ceiling only ever loosens.
    static let modes: [(mode: RBACMode, ceiling: RBACMode, effective: RBACMode)] = [
        (.enforce, .enforce, .enforce), (.enforce, .soft, .soft), (.enforce, .off, .off),
        (.soft, .enforce, .soft), (.soft, .soft, .soft), (.soft, .off, .off),
        (.off, .enforce, .off), (.off, .soft, .off), (.off, .off, .off),
    ]

    // MARK: Tests

    @Test(arguments: modes)
    func aMissingGrantIsRefusedOnlyWhenTheEffectiveModeIsEnforce(_ row: (mode: RBACMode, ceiling: RBACMode, effective: RBACMode)) throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("create_channel"),
            grants: try self.grants("engineer"),
            mode: row.mode,
            ceiling: row.ceiling
        )

        #expect(decision.mode == row.effective)
        switch row.effective {
        case .off:
            #expect(decision == Decision(mode: .off, outcome: nil))
            #expect(decision.isAllowed && !decision.isAudited)
        case .soft:
            #expect(decision.outcome == .missSoft)
            #expect(decision.isAllowed && decision.isAudited)
        case .enforce:
            #expect(decision.outcome == .missHard)
            #expect(!decision.isAllowed && decision.isAudited)
        }
        if row.effective != .off {
            #expect(decision.missing?.description == "channel_action:create_channel")
            #expect(decision.match == Decision.Match.none)
        }
    }

    @Test(arguments: modes)
    func aHeldGrantPassesAndIsAuditedUnlessOff(_ row: (mode: RBACMode, ceiling: RBACMode, effective: RBACMode)) throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("create_channel"),
            grants: try self.grants("pm"),
            mode: row.mode,
            ceiling: row.ceiling
        )

        #expect(decision.isAllowed)
        #expect(decision.outcome == (row.effective == .off ? nil : .pass))
        #expect(decision.missing == nil)
    }

    @Test(arguments: ["whoami", "check_messages"])
    func ungatedToolsAreAllowedAndNotAuditedEvenWithNoGrants(_ tool: String) throws {
        let decision = RBACPolicy.decide(requirement: try self.requirement(tool), grants: [], mode: .enforce, ceiling: .enforce)

        #expect(decision == Decision(mode: .enforce, outcome: nil))
        #expect(decision.isAllowed)
    }

    @Test func theFirstMissInCheckOrderIsReported() throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("broadcast_message"),
            grants: try self.grants("restricted"),
            mode: .enforce,
            ceiling: .enforce
        )

        #expect(decision.missing?.description == "tool_family:messaging")
    }

    @Test func anEngineerMovesOnlyTheTasksItIsAssigned() throws {
        let engineer = try self.grants("engineer")
        func decide(_ facts: AuthorizationFacts) throws -> Decision {
            RBACPolicy.decide(
                requirement: try self.requirement("update_kanban_task_status", facts),
                grants: engineer,
                mode: .enforce,
                ceiling: .enforce
            )
        }

        #expect(try decide(.row(isAssignee: true, isCreator: false)).outcome == .pass)
        let other = try decide(.row(isAssignee: false, isCreator: true))
        #expect(other.outcome == .missHard)
        #expect(other.match == .close)
        #expect(other.missing?.description == "kanban_action:update_task_status@created_by_self")
        #expect(try decide(.none).match == .close)
        #expect(try decide(AuthorizationFacts(target: .notFound)).outcome == .pass)
    }

    @Test func anAnyScopeGrantCoversEveryRow() throws {
        for facts in [AuthorizationFacts.none, .row(isAssignee: false, isCreator: false), .row(isAssignee: true, isCreator: true)] {
            let decision = RBACPolicy.decide(
                requirement: try self.requirement("archive_kanban_task", facts),
                grants: try self.grants("pm"),
                mode: .enforce,
                ceiling: .enforce
            )
            #expect(decision.outcome == .pass)
        }
    }

    @Test func commentsAreCheckedByScopeAndType() throws {
        func outcome(_ role: String, _ facts: AuthorizationFacts) throws -> Decision.Outcome? {
            RBACPolicy.decide(
                requirement: try self.requirement("comment_kanban_task", facts),
                grants: try self.grants(role),
                mode: .enforce,
                ceiling: .enforce
            ).outcome
        }

        #expect(try outcome("engineer", .row(isAssignee: false, isCreator: true, commentType: .blocker)) == .pass)
        #expect(try outcome("engineer", .row(isAssignee: true, isCreator: false, commentType: .verdictGo)) == .missHard)
        #expect(try outcome("engineer", .row(isAssignee: false, isCreator: false, commentType: .note)) == .missHard)
        #expect(try outcome("reviewer", .row(isAssignee: false, isCreator: false, commentType: .verdictNoGo)) == .pass)
        #expect(try outcome("researcher", .row(isAssignee: false, isCreator: false, commentType: .verdictNoGo)) == .missHard)
        #expect(try outcome("restricted", .row(isAssignee: true, isCreator: true, commentType: .note)) == .missHard)
    }

    @Test func aDenialNamesTheToolTheGrantTheCallerRolesAndWhoHoldsIt() throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("create_channel"),
            grants: try self.grants("engineer"),
            mode: .enforce,
            ceiling: .enforce
        )

        let error = RBACPolicy.denial(
            tool: "create_channel",
            decision: decision,
            caller: "api:dev",
            callerRoles: ["engineer"],
            roles: RoleDefinition.builtins
        )

        #expect(error.code == .rbacDenied)
        #expect(error.message.contains("create_channel is not allowed for api:dev"))
        #expect(error.message.contains("channel_action:create_channel"))
        #expect(error.message.contains("its roles (engineer) do not grant it"))
        #expect(error.message.contains("ask an agent with the pm role"))
    }

    @Test func aDenialListsEveryHoldingRole() throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("comment_kanban_epic", .row(isAssignee: false, isCreator: false, commentType: .note)),
            grants: try self.grants("engineer"),
            mode: .enforce,
            ceiling: .enforce
        )

        let error = RBACPolicy.denial(
            tool: "comment_kanban_epic",
            decision: decision,
            caller: "api:dev",
            callerRoles: ["engineer"],
            roles: RoleDefinition.builtins
        )

        #expect(error.message.contains("kanban_action:comment_epic"))
        #expect(error.message.contains("the pm role, the reviewer role or the researcher role"))
    }

    @Test func aDenialNobodyCanLiftNamesTheGrantCommand() throws {
        let custom = RoleDefinition(name: "bot", description: "", isBuiltin: false, grants: [.family(.channelWrite)])
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("create_channel"),
            grants: custom.grants,
            mode: .enforce,
            ceiling: .enforce
        )

        let error = RBACPolicy.denial(tool: "create_channel", decision: decision, caller: "api:bot", callerRoles: ["bot"], roles: [custom])

        #expect(error.message.contains("no role grants it"))
        #expect(error.message.contains("`whatsagent role grant bot channel_action create_channel`"))
    }

    @Test func aNarrowerScopeIsSaidSoInTheDenial() throws {
        let decision = RBACPolicy.decide(
            requirement: try self.requirement("update_kanban_epic_status", .row(isAssignee: false, isCreator: false)),
            grants: try self.grants("engineer"),
            mode: .enforce,
            ceiling: .enforce
        )

        let error = RBACPolicy.denial(
            tool: "update_kanban_epic_status",
            decision: decision,
            caller: "api:dev",
            callerRoles: ["engineer"],
            roles: RoleDefinition.builtins
        )

        #expect(error.message.contains("narrower scope"))
        #expect(error.message.contains("ask an agent with the pm role"))
    }

    @Test func aCallerWithNoRolesIsToldSo() throws {
        let decision = RBACPolicy.decide(requirement: try self.requirement("send_message"), grants: [], mode: .enforce, ceiling: .enforce)

        let error = RBACPolicy.denial(tool: "send_message", decision: decision, caller: "api:x", callerRoles: [], roles: RoleDefinition.builtins)

        #expect(error.message.contains("it holds no role"))
        #expect(error.message.contains("tool_family:messaging"))
    }

    @Test func visibilityFollowsFamiliesAndKeepsOrder() throws {
        let names = RequirementTests.agentTools.map(\.tool)

        let restricted = RBACPolicy.visibleTools(names, grants: try self.grants("restricted"), mode: .enforce)
        let engineer = RBACPolicy.visibleTools(names, grants: try self.grants("engineer"), mode: .soft)
        let operatorOnly = RBACPolicy.visibleTools(names, grants: try self.grants("operator"), mode: .enforce)

        #expect(
            restricted == [
                "whoami", "set_summary", "check_messages", "list_channels", "join_channel", "leave_channel", "read_channel_messages",
                "search_channel_messages",
            ]
        )
        #expect(engineer == names)
        #expect(operatorOnly == ["whoami", "check_messages"])
    }

    @Test func modeOffShowsEveryToolAndUnknownToolsOtherwiseStayHidden() {
        let names = ["whoami", "send_message", "launch_rockets"]

        #expect(RBACPolicy.visibleTools(names, grants: [], mode: .off) == names)
        #expect(RBACPolicy.visibleTools(names, grants: [.family(.messaging)], mode: .enforce) == ["whoami", "send_message"])
    }

    @Test func enforceShowsOnlyToolsTheAgentCanCallAndSoftShowsItsFamilies() throws {
        let names = ["create_kanban_task", "update_kanban_task_status", "read_kanban_task", "comment_kanban_epic"]

        // An engineer holds the kanban-comment family but no comment_epic grant: in enforce it could not call it.
        let engineer = RBACPolicy.visibleTools(names, grants: try self.grants("engineer"), mode: .enforce)
        #expect(engineer == ["update_kanban_task_status", "read_kanban_task"], "\(engineer)")
        #expect(RBACPolicy.visibleTools(names, grants: try self.grants("engineer"), mode: .soft) == Array(names.dropFirst()))
        #expect(!RBACPolicy.visibleTools(["broadcast_message"], grants: try self.grants("engineer"), mode: .enforce).contains("broadcast_message"))
        #expect(RBACPolicy.visibleTools(names, grants: try self.grants("restricted"), mode: .enforce) == ["read_kanban_task"])
        #expect(RBACPolicy.visibleTools(names, grants: try self.grants("pm"), mode: .enforce) == names)
    }

    @Test func holdersAreTheRolesThatSatisfyTheRequirement() {
        let own = RequiredGrant(.kanbanAction, "comment_task", scopeRule: .anyScopeOr([.createdBySelf]))

        #expect(RBACPolicy.holders(of: own, among: RoleDefinition.builtins) == ["pm", "engineer", "reviewer", "researcher"])
        #expect(RBACPolicy.holders(of: RequiredGrant(.meta, "is_operator_surrogate"), among: RoleDefinition.builtins) == ["operator"])
    }
}
