import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// Issue 19: every RBAC-gated tool call is audited exactly once — whether its use case committed (the row written in
/// its transaction), failed after its check (written on its own), or was refused before it ran (its check run on its
/// own, a denial winning over the other refusal).
@Suite struct ToolAuditTests {
    let shapes = ToolResultShapeTests()

    func audited(_ services: DaemonServices) async throws -> Int {
        try await services.rbac.auditCount(workspace: "w")
    }

    @Test func everyGatedCallThatSucceedsIsAuditedOnce() async throws {
        try await withSocketAPI { client, services in
            let (main, dev) = try await self.shapes.protocolTests.setUp(client)
            _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(rbacMode: .soft))
            _ = try await self.shapes.call(client, dev, "join_channel", #"{"channel":"shared"}"#)
            var lastPost = ""
            for (tool, arguments, asDev) in ToolResultShapeTests.calls {
                if tool == ToolResultShapeTests.toChannelTopology {
                    _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(topology: .channel))
                    continue
                }
                let before = try await self.audited(services)
                let arguments = arguments.replacingOccurrences(of: ToolResultShapeTests.lastPost, with: lastPost)
                let result = try await self.shapes.call(client, asDev ? dev : main, tool, arguments)
                #expect(!result.isError, "\(tool): \(result.text)")
                if tool == "post_channel_message" { lastPost = result.structured?["messageId"]?.stringValue ?? "" }
                let gated = Requirement.forTool(tool)?.isGated ?? false
                #expect(try await self.audited(services) == before + (gated ? 1 : 0), "\(tool)")
            }
        }
    }

    @Test(arguments: AgentToolDispatcher.checkedInside.sorted())
    func aWriteRefusedBeforeItsTransactionIsAuditedOnceAndADenialWins(tool: String) async throws {
        try await withSocketAPI { client, services in
            let (_, dev) = try await self.shapes.protocolTests.setUp(client, topology: .channel)
            _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(rbacMode: .enforce))
            let engineer = RoleDefinition.builtin(named: "engineer")
            let requirement = try #require(Requirement.forTool(tool))
            let denied = !RBACPolicy.decide(requirement: requirement, grants: engineer?.grants ?? [], mode: .enforce, ceiling: .enforce).isAllowed
            let before = try await self.audited(services)

            let result = try await self.shapes.call(client, dev, tool, "{}")

            #expect(result.isError)
            #expect(result.structured?["error"]?["code"] == .string(denied ? "rbac_denied" : "invalid_argument"), "\(result.text)")
            #expect(try await self.audited(services) == before + 1)
        }
    }

    /// A denied write commits its audit row and nothing else.
    @Test func aDeniedWriteChangesNothingButTheAuditLog() async throws {
        try await withSocketAPI { client, services in
            let (_, dev) = try await self.shapes.protocolTests.setUp(client, topology: .channel)
            _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(rbacMode: .enforce))

            let result = try await self.shapes.call(client, dev, "create_channel", #"{"channel":"ops"}"#)

            #expect(result.structured?["error"]?["code"] == "rbac_denied", "\(result.text)")
            #expect(try await services.channels.list(workspace: "w", as: .human).map(\.channel.name) == ["shared"])
            let entries = try await services.rbac.auditEntries(workspace: "w")
            #expect(entries.map(\.tool) == ["create_channel"])
            #expect(entries.first?.outcome == AuditEntry.denied)
        }
    }
}
