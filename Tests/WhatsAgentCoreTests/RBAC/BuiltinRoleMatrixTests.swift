import Testing

@testable import WhatsAgentCore

/// The built-in roles hold exactly the matrix of whatsagent-behaviour.md §14.3 (plus create_channel for pm).
@Suite struct BuiltinRoleMatrixTests {
    /// One cell of the matrix: whether `role` holds `grant`.
    struct Cell: Sendable, CustomTestStringConvertible {
        var role: String
        var grant: Grant
        var held: Bool
        var testDescription: String { "\(self.role) \(self.held ? "holds" : "lacks") \(self.grant)" }
    }

    /// The reference matrix, transcribed row by row: each grant with the roles holding it. Anything absent is held
    /// by no role.
    static let matrix: [String: Set<String>] = {
        var rows: [String: Set<String>] = [:]
        let participants: Set<String> = ["pm", "engineer", "reviewer", "researcher"]
        rows["tool_family:messaging"] = participants
        rows["tool_family:channel-read"] = participants.union(["restricted"])
        rows["tool_family:channel-write"] = participants
        rows["tool_family:summary"] = participants.union(["restricted"])
        rows["tool_family:kanban-read"] = participants.union(["restricted"])
        rows["tool_family:kanban-comment"] = participants
        rows["tool_family:kanban-status"] = ["pm", "engineer"]
        rows["tool_family:kanban-admin"] = ["pm"]
        for action in ["create_task", "create_epic", "update_task", "update_epic", "archive_task", "archive_epic"] {
            rows["kanban_action:\(action)"] = ["pm"]
        }
        for action in ["update_task_status", "update_epic_status", "request_epic_close", "cancel_epic_close"] {
            rows["kanban_action:\(action)"] = ["pm"]
            rows["kanban_action:\(action)@own_assignment"] = ["engineer"]
        }
        rows["kanban_action:comment_task"] = ["pm", "reviewer", "researcher"]
        rows["kanban_action:comment_task@own_assignment"] = ["engineer"]
        rows["kanban_action:comment_task@created_by_self"] = ["engineer"]
        rows["kanban_action:comment_epic"] = ["pm", "reviewer", "researcher"]
        for type in ["progress", "note", "blocker"] {
            rows["comment_type:\(type)"] = participants
        }
        for type in ["verdict_go", "verdict_no_go", "verdict_needs_revision"] {
            rows["comment_type:\(type)"] = ["pm", "reviewer"]
        }
        rows["channel_action:post_channel_message"] = participants
        rows["channel_action:reply_channel_thread"] = participants
        rows["channel_action:read_channel_messages"] = participants.union(["restricted"])
        rows["channel_action:search_channel_messages"] = participants.union(["restricted"])
        rows["channel_action:broadcast_message"] = ["pm"]
        rows["channel_action:create_channel"] = ["pm"]
        rows["audit_grant:audit_read"] = ["pm", "reviewer"]
        rows["audit_grant:audit_admin"] = ["pm"]
        rows["meta:is_operator_surrogate"] = ["operator"]
        return rows
    }()

    static let cells: [Cell] = BuiltinRoles.names.flatMap { role in
        everyPossibleGrant.map { grant in
            Cell(role: role, grant: grant, held: Self.matrix[grant.description]?.contains(role) ?? false)
        }
    }

    // MARK: Tests

    @Test(arguments: cells)
    func builtinRoleHoldsExactlyItsCell(_ cell: Cell) throws {
        let role = try #require(RoleDefinition.builtin(named: cell.role))

        #expect(role.grants.contains(cell.grant) == cell.held)
    }

    @Test func theBuiltinRolesAreTheSixNamedOnesInOrder() {
        #expect(RoleDefinition.builtins.map(\.name) == BuiltinRoles.names)
        #expect(RoleDefinition.builtins.allSatisfy { $0.isBuiltin })
        #expect(RoleDefinition.builtins.allSatisfy { !$0.description.isEmpty })
    }

    @Test func everyMatrixRowNamesARealGrant() {
        let possible = Set(everyPossibleGrant.map(\.description))

        #expect(Set(Self.matrix.keys).subtracting(possible).isEmpty)
        #expect(Self.matrix.values.allSatisfy { $0.isSubset(of: Set(BuiltinRoles.names)) })
    }

    @Test func everyBuiltinGrantIsValid() throws {
        for grant in RoleDefinition.builtins.flatMap(\.grants) {
            #expect(try grant.validated() == grant)
        }
    }
}
