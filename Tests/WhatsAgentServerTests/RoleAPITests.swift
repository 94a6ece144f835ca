import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI

@testable import WhatsAgentServer

@Suite struct RoleAPITests {
    @Test func customRolesGrantsAndAgents() async throws {
        try await withSocketAPI { client, _ in
            let (main, dev) = try await AgentProtocolTests().setUp(client)
            _ = main

            let (created, _) = try await client.send(.post, "/api/v1/workspaces/w/roles", body: CreateRoleRequest(name: "announcer"))
            let (granted, grantedBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/roles/announcer/grant",
                body: GrantValue(kind: "channel_action", value: "broadcast_message")
            )
            #expect(created == .created && granted == .ok)
            #expect(try decode(RoleResponse.self, grantedBody).grants == [GrantValue(kind: "channel_action", value: "broadcast_message")])

            let (assigned, _) = try await client.send(
                .patch,
                "/api/v1/workspaces/w/agents/api:dev",
                body: UpdateAgentRequest(roles: ["engineer", "announcer"])
            )
            #expect(assigned == .ok)
            let result = try decode(AgentToolResult.self, try await AgentProtocolTests().call(client, dev, "broadcast_message", #"{"body":"hi"}"#).1)
            #expect(!result.isError, "\(result.text)")

            let (inUse, inUseBody) = try await client.send(.delete, "/api/v1/workspaces/w/roles/announcer")
            #expect(inUse == .conflict)
            #expect(try decode(APIErrorBody.self, inUseBody).error.message.contains("api:dev"))
            let (builtin, _) = try await client.send(.delete, "/api/v1/workspaces/w/roles/pm")
            #expect(builtin == .conflict)
            let (badGrant, _) = try await client.send(
                .post,
                "/api/v1/workspaces/w/roles/announcer/grant",
                body: GrantValue(kind: "tool_family", value: "teleport")
            )
            #expect(badGrant == .badRequest)
        }
    }

    @Test func theAuditLogListsAndExportsDecisions() async throws {
        try await withSocketAPI { client, _ in
            let (_, dev) = try await AgentProtocolTests().setUp(client)
            _ = try await AgentProtocolTests().call(client, dev, "broadcast_message", #"{"body":"=cmd|' /C calc'!A0"}"#)
            _ = try await AgentProtocolTests().call(client, dev, "list_peers")

            let (_, listBody) = try await client.send(.get, "/api/v1/workspaces/w/audit?kind=grant_miss_hard")
            let list = try decode(AuditList.self, listBody)
            #expect(list.total == 1)
            #expect(list.entries.first?.tool == "broadcast_message" && list.entries.first?.actor == "api:dev")

            let csv = try await client.execute(uri: "/api/v1/workspaces/w/audit/export", method: .get) { String(buffer: $0.body) }
            #expect(csv.hasPrefix("id,at,kind,actor,tool,expected_grant,outcome\n"))
            #expect(csv.contains("grant_miss_hard") && csv.contains("grant_check_pass"))

            let (bad, _) = try await client.send(.get, "/api/v1/workspaces/w/audit?limit=9999")
            #expect(bad == .badRequest)
        }
    }

    @Test func csvFieldsAreQuotedAndNeverFormulas() {
        #expect(RoleController.csvField("plain") == "plain")
        #expect(RoleController.csvField("a,b") == "\"a,b\"")
        #expect(RoleController.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(RoleController.csvField("=SUM(A1)") == "'=SUM(A1)")
    }
}
