import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

/// RBAC on the agent protocol: the catalogue is filtered, and every call is re-checked under mode and ceiling.
@Suite struct RBACWiringTests {
    /// A star workspace with api:main (pm) and api:dev (engineer), both connected.
    func setUp(_ client: any TestClientProtocol) async throws -> (main: String, dev: String) {
        try await AgentProtocolTests().setUp(client)
    }

    func catalogue(_ client: any TestClientProtocol, _ token: String) async throws -> Set<String> {
        try await client.execute(uri: "/api/v1/agent/tools", method: .get, headers: [.authorization: "Bearer \(token)"]) {
            Set(try decode(AgentToolCatalogue.self, Data(String(buffer: $0.body).utf8)).tools.map(\.name))
        }
    }

    func broadcast(_ client: any TestClientProtocol, _ token: String) async throws -> AgentToolResult {
        try decode(AgentToolResult.self, try await AgentProtocolTests().call(client, token, "broadcast_message", #"{"body":"all hands"}"#).1)
    }

    @Test func anEngineerCannotBroadcastInEnforceModeAndIsToldWhoCan() async throws {
        try await withSocketAPI { client, services in
            let (main, dev) = try await self.setUp(client)

            #expect(try await self.catalogue(client, main).contains("broadcast_message"))
            #expect(!(try await self.catalogue(client, dev).contains("broadcast_message")))
            let refused = try await self.broadcast(client, dev)

            #expect(refused.isError)
            #expect(refused.structured?["error"]?["code"] == .string("rbac_denied"))
            #expect(refused.text.contains("pm"))
            let misses = try await services.rbac.auditEntries(workspace: "w").filter { $0.kind == "grant_miss_hard" }
            #expect(misses.map(\.tool) == ["broadcast_message"])
            #expect(!(try await self.broadcast(client, main)).isError)
        }
    }

    @Test func softModeAllowsAndAudits() async throws {
        try await withSocketAPI { client, services in
            let (_, dev) = try await self.setUp(client)
            _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(rbacMode: .soft))

            let result = try await self.broadcast(client, dev)

            #expect(!result.isError, "\(result.text)")
            #expect(result.structured?["recipients"] == .array(["api:main"]))
            let entries = try await services.rbac.auditEntries(workspace: "w")
            #expect(entries.contains { $0.kind == "grant_miss_soft" && $0.tool == "broadcast_message" })
        }
    }

    @Test func theDaemonCeilingLoosensEveryWorkspace() async throws {
        let workspaces = WorkspaceService(
            storage: .inMemory,
            registry: try DaemonDatabase.inMemory(),
            stores: SQLiteStoreFactory(),
            logger: quietLogger
        )
        let services = DaemonServices(
            workspaces: workspaces,
            state: DaemonState(startedAt: Date()),
            home: HomeLayout(root: "/tmp/wa-test-home"),
            version: "9.9.9",
            executablePath: "/usr/bin/whatsagent",
            rbacCeiling: .off
        )
        let app = Application(router: buildSocketRouter(services: services), logger: quietLogger)
        try await app.test(.router) { client in
            let (_, dev) = try await self.setUp(client)

            #expect(try await self.catalogue(client, dev).contains("broadcast_message"))
            #expect(!(try await self.broadcast(client, dev)).isError)
            #expect(try await services.rbac.auditEntries(workspace: "w").isEmpty, "off: no lookup, no audit")
        }
    }
}
