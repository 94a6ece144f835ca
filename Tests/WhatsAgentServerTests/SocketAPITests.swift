import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// The management API, in-process: happy paths, status codes and the error envelope.
@Suite struct SocketAPITests {
    @Test func healthAndStatus() async throws {
        try await withSocketAPI { client, _ in
            let (healthStatus, healthBody) = try await client.send(.get, "/health")
            let health = try decode(Health.self, healthBody)
            #expect(healthStatus == .ok)
            #expect(health.ok && health.version == "9.9.9")

            let (status, body) = try await client.send(.get, "/api/v1/status")
            let daemon = try decode(DaemonStatus.self, body)
            #expect(status == .ok)
            #expect(daemon.workspaces == 0)
            #expect(daemon.url == "http://127.0.0.1:1")
            #expect(daemon.socket == "/tmp/wa-test-home/daemon.sock")
        }
    }

    @Test func workspaceRepoAgentRoundTrip() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wa-api-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        try await withSocketAPI { client, _ in
            let (created, workspaceBody) = try await client.send(
                .post,
                "/api/v1/workspaces",
                body: CreateWorkspaceRequest(name: "alpha", topology: .p2p, rateLimit: .off)
            )
            let workspace = try decode(WorkspaceResponse.self, workspaceBody)
            #expect(created == .created)
            #expect(workspace.isCurrent && workspace.topology == .p2p && workspace.rateLimit == .off)

            let (repoStatus, _) = try await client.send(
                .post,
                "/api/v1/workspaces/current/repos",
                body: CreateRepoRequest(path: directory, name: "api")
            )
            #expect(repoStatus == .created)

            let (agentStatus, agentBody) = try await client.send(
                .post,
                "/api/v1/workspaces/alpha/agents",
                body: CreateAgentRequest(address: "api:main", args: ["--fast"], persona: PersonaValue(skills: "Swift"))
            )
            let agent = try decode(AgentResponse.self, agentBody)
            #expect(agentStatus == .created)
            #expect(agent.roles == ["pm"] && agent.args == ["--fast"] && agent.persona?.skills == "Swift")

            let (patched, patchedBody) = try await client.send(
                .patch,
                "/api/v1/workspaces/\(workspace.id)/agents/api%3Amain",
                body: UpdateAgentRequest(runtime: .codex, pushEnabled: false)
            )
            #expect(patched == .ok)
            #expect(try decode(AgentResponse.self, patchedBody).runtime == .codex)

            let (_, mainBody) = try await client.send(.put, "/api/v1/workspaces/alpha/main-agent", body: SetMainAgentRequest(agent: "api:main"))
            #expect(try decode(AgentResponse.self, mainBody).isMain)

            let (_, listBody) = try await client.send(.get, "/api/v1/workspaces")
            let list = try decode(WorkspaceList.self, listBody)
            #expect(list.currentWorkspaceId == workspace.id)
            #expect(list.workspaces.first?.agentCount == 1 && list.workspaces.first?.repoCount == 1)

            let (removed, removedBody) = try await client.send(.delete, "/api/v1/workspaces/alpha/repos/api?force=false")
            #expect(removed == .ok)
            #expect(try decode(RemovalResult.self, removedBody).removed == "api")
            let (_, agentsBody) = try await client.send(.get, "/api/v1/workspaces/alpha/agents")
            #expect(try decode(AgentList.self, agentsBody).agents.isEmpty)
        }
    }

    @Test func trashRestorePurge() async throws {
        try await withSocketAPI { client, _ in
            let (_, body) = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "alpha"))
            let id = try decode(WorkspaceResponse.self, body).id

            let (trashed, trashedBody) = try await client.send(.post, "/api/v1/workspaces/alpha/trash", body: RemovalRequest(force: false))
            #expect(trashed == .ok)
            #expect(try decode(WorkspaceResponse.self, trashedBody).status == "trashed")
            #expect(try await client.send(.get, "/api/v1/workspaces/alpha").0 == .notFound)

            #expect(try await client.send(.post, "/api/v1/workspaces/\(id)/restore").0 == .ok)
            #expect(try await client.send(.post, "/api/v1/workspaces/\(id)/purge").0 == .conflict)
            #expect(try await client.send(.post, "/api/v1/workspaces/\(id)/trash", body: RemovalRequest(force: false)).0 == .ok)
            #expect(try await client.send(.post, "/api/v1/workspaces/\(id)/purge").0 == .ok)
            let (_, listBody) = try await client.send(.get, "/api/v1/workspaces")
            #expect(try decode(WorkspaceList.self, listBody).workspaces.isEmpty)
        }
    }

    @Test(
        arguments: [
            ("POST", "/api/v1/workspaces", #"{"name":"has space"}"#, 400, "invalid_name"),
            ("POST", "/api/v1/workspaces", #"{"#, 400, "invalid_request"),
            ("POST", "/api/v1/workspaces", #"{"name":"x","topology":"ring"}"#, 400, "invalid_request"),
            ("POST", "/api/v1/workspaces", #"{"name":1}"#, 400, "invalid_request"),
            ("GET", "/api/v1/workspaces/nope", nil, 404, "workspace_not_found"),
            ("GET", "/api/v1/workspaces/current/agents", nil, 409, "no_current_workspace"),
            ("GET", "/api/v1/nothing-here", nil, 404, "not_found"),
            ("PUT", "/api/v1/current-workspace", #"{"workspace":"ghost"}"#, 404, "workspace_not_found"),
        ] as [(String, String, String?, Int, String)]
    )
    func errorsUseTheEnvelope(method: String, uri: String, json: String?, status: Int, code: String) async throws {
        try await withSocketAPI { client, _ in
            let (actual, body) = try await client.send(HTTPRequest.Method(method)!, uri, json: json)

            let error = try decode(APIErrorBody.self, body)
            #expect(Int(actual.code) == status)
            #expect(error.error.code == code)
            #expect(!error.error.message.isEmpty)
        }
    }

    @Test func duplicateNamesAreConflicts() async throws {
        try await withSocketAPI { client, _ in
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "alpha"))

            let (status, body) = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "Alpha"))

            #expect(status == .conflict)
            #expect(try decode(APIErrorBody.self, body).error.code == "name_taken")
        }
    }

    @Test func theWebRouterServesOnlyHealthWithoutALogin() async throws {
        let security = WebSecurityPolicy(configuration: DaemonConfiguration(), port: BoundPort(4017))
        let app = Application(router: buildWebRouter(services: try makeServices(), security: security), logger: quietLogger)
        try await app.test(.router) { client in
            let host: HTTPFields = [.hostField: "127.0.0.1:4017"]
            let health = try await client.execute(uri: "/health", method: .get, headers: host) { $0.status }
            let status = try await client.execute(uri: "/api/v1/status", method: .get, headers: host) { $0.status }
            let workspaces = try await client.execute(uri: "/api/v1/workspaces", method: .get, headers: host) { $0.status }
            let stop = try await client.execute(uri: "/api/v1/daemon/stop", method: .post, headers: host) { $0.status }

            #expect(health == .ok)
            #expect([status, workspaces] == [.unauthorized, .unauthorized])
            #expect(stop == .forbidden)  // no Origin: refused before the login is even looked at
        }
    }
}
