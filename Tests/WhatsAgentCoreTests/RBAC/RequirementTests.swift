import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// What every tool needs (behaviour §14.2, SPEC §8), and how board facts turn into scopes.
@Suite struct RequirementTests {
    /// The agent tools of the catalogue (identity, direct messages, channels) and the grants each needs, in order.
    static let agentTools: [(tool: String, checks: [String])] = [
        ("whoami", []),
        ("list_peers", ["tool_family:messaging"]),
        ("set_summary", ["tool_family:summary"]),
        ("send_message", ["tool_family:messaging"]),
        ("broadcast_message", ["tool_family:messaging", "channel_action:broadcast_message"]),
        ("check_messages", []),
        ("search_direct_messages", ["tool_family:messaging"]),
        ("list_channels", ["tool_family:channel-read"]),
        ("join_channel", ["tool_family:channel-read"]),
        ("leave_channel", ["tool_family:channel-read"]),
        ("create_channel", ["tool_family:channel-write", "channel_action:create_channel"]),
        ("post_channel_message", ["tool_family:channel-write", "channel_action:post_channel_message"]),
        ("reply_channel_thread", ["tool_family:channel-write", "channel_action:reply_channel_thread"]),
        ("read_channel_messages", ["tool_family:channel-read", "channel_action:read_channel_messages"]),
        ("search_channel_messages", ["tool_family:channel-read", "channel_action:search_channel_messages"]),
    ]

    /// Board tools with no facts: scoped actions then need an any-scope grant.
    static let boardTools: [(tool: String, checks: [String])] = [
        ("read_kanban_task", ["tool_family:kanban-read"]),
        ("list_kanban_tasks", ["tool_family:kanban-read"]),
        ("search_kanban_tasks", ["tool_family:kanban-read"]),
        ("read_kanban_epic", ["tool_family:kanban-read"]),
        ("list_kanban_epics", ["tool_family:kanban-read"]),
        ("search_kanban_epics", ["tool_family:kanban-read"]),
        ("create_kanban_task", ["tool_family:kanban-admin", "kanban_action:create_task"]),
        ("create_kanban_epic", ["tool_family:kanban-admin", "kanban_action:create_epic"]),
        ("update_kanban_task", ["tool_family:kanban-admin", "kanban_action:update_task"]),
        ("update_kanban_epic", ["tool_family:kanban-admin", "kanban_action:update_epic"]),
        ("archive_kanban_task", ["tool_family:kanban-admin", "kanban_action:archive_task"]),
        ("archive_kanban_epic", ["tool_family:kanban-admin", "kanban_action:archive_epic"]),
        ("update_kanban_task_status", ["tool_family:kanban-status", "kanban_action:update_task_status"]),
        ("update_kanban_epic_status", ["tool_family:kanban-status", "kanban_action:update_epic_status"]),
        ("request_kanban_epic_close", ["tool_family:kanban-status", "kanban_action:request_epic_close"]),
        ("cancel_kanban_epic_close", ["tool_family:kanban-status", "kanban_action:cancel_epic_close"]),
        ("comment_kanban_task", ["tool_family:kanban-comment", "kanban_action:comment_task", "comment_type:note"]),
        ("comment_kanban_epic", ["tool_family:kanban-comment", "kanban_action:comment_epic", "comment_type:note"]),
    ]

    // MARK: Tests

    @Test(arguments: agentTools + boardTools)
    func toolNeedsItsGrantsInOrder(_ entry: (tool: String, checks: [String])) throws {
        let requirement = try #require(Requirement.forTool(entry.tool))

        #expect(requirement.tool == entry.tool)
        #expect(requirement.checks.map(\.description) == entry.checks)
        #expect(requirement.isGated == !entry.checks.isEmpty)
        #expect(requirement.family?.rawValue == entry.checks.first?.replacingOccurrences(of: "tool_family:", with: ""))
    }

    @Test func theTableCoversExactlyTheKnownTools() {
        let listed = (Self.agentTools + Self.boardTools).map(\.tool)

        // Derived from the tools' one declaration: every declared grant parses (a tool that did not would be refused).
        #expect(Requirement.knownTools == AgentTools.all.map(\.name))
        for definition in AgentTools.all {
            let requirement = Requirement.forTool(definition.name)
            #expect(requirement?.family?.rawValue == definition.family, "\(definition.name)")
            let action = requirement?.checks.first { $0.kind == .channelAction || $0.kind == .kanbanAction }
            #expect(action.map { "\($0.kind.rawValue):\($0.value)" } == definition.action, "\(definition.name)")
        }

        #expect(Set(Requirement.knownTools) == Set(listed))
        #expect(Requirement.knownTools.count == listed.count)
        #expect(Requirement.forTool("launch_rockets") == nil)
        #expect(!Requirement.isKnown("launch_rockets"))
    }

    @Test func theCallerRelationToTheRowPicksTheScopes() throws {
        func rule(_ facts: AuthorizationFacts) throws -> RequiredGrant.ScopeRule {
            try #require(Requirement.forTool("update_kanban_task_status", facts: facts)?.checks.last).scopeRule
        }

        #expect(try rule(.none) == .anyScopeOnly)
        #expect(try rule(.row(isAssignee: false, isCreator: false)) == .anyScopeOnly)
        #expect(try rule(.row(isAssignee: true, isCreator: false)) == .anyScopeOr([.ownAssignment]))
        #expect(try rule(.row(isAssignee: false, isCreator: true)) == .anyScopeOr([.createdBySelf]))
        #expect(try rule(.row(isAssignee: true, isCreator: true)) == .anyScopeOr([.ownAssignment, .createdBySelf]))
        #expect(try rule(AuthorizationFacts(target: .notFound)) == .ignoresScope)
    }

    @Test func creatingHasNoRowSoItAlwaysNeedsAnAnyScopeGrant() throws {
        let requirement = try #require(Requirement.forTool("create_kanban_task", facts: .row(isAssignee: true, isCreator: true)))

        #expect(requirement.checks.last?.scopeRule == .anyScopeOnly)
    }

    @Test func commentsNeedTheGrantOfTheirType() throws {
        let requirement = try #require(
            Requirement.forTool("comment_kanban_task", facts: .row(isAssignee: true, isCreator: false, commentType: .verdictGo))
        )

        #expect(
            requirement.checks.map(\.description) == [
                "tool_family:kanban-comment", "kanban_action:comment_task@own_assignment", "comment_type:verdict_go",
            ]
        )
    }

    @Test func scopedRequirementsAcceptAnyScopeOrTheirScopes() {
        let own = RequiredGrant(.kanbanAction, "update_task_status", scopeRule: .anyScopeOr([.ownAssignment]))
        let anyOnly = RequiredGrant(.kanbanAction, "update_task_status")
        let ignoring = RequiredGrant(.kanbanAction, "update_task_status", scopeRule: .ignoresScope)

        #expect(own.isSatisfied(by: .kanban(.updateTaskStatus)))
        #expect(own.isSatisfied(by: .kanban(.updateTaskStatus, scope: .ownAssignment)))
        #expect(!own.isSatisfied(by: .kanban(.updateTaskStatus, scope: .createdBySelf)))
        #expect(own.isNearMiss(.kanban(.updateTaskStatus, scope: .createdBySelf)))
        #expect(!own.isSatisfied(by: .kanban(.updateEpicStatus)))
        #expect(!own.isNearMiss(.kanban(.updateEpicStatus)))
        #expect(anyOnly.isSatisfied(by: .kanban(.updateTaskStatus)))
        #expect(!anyOnly.isSatisfied(by: .kanban(.updateTaskStatus, scope: .ownAssignment)))
        #expect(ignoring.isSatisfied(by: .kanban(.updateTaskStatus, scope: .createdBySelf)))
    }

    @Test func requiredGrantsPrintAsKindValueAndScope() {
        let own = RequiredGrant(.kanbanAction, "comment_task", scopeRule: .anyScopeOr([.ownAssignment, .createdBySelf]))

        #expect(own.description == "kanban_action:comment_task@own_assignment")
        #expect(own.grantCommandArguments == "kanban_action comment_task --scope own_assignment")
        #expect(RequiredGrant(.channelAction, "create_channel").grantCommandArguments == "channel_action create_channel")
    }
}
