import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// The push fields of `AgentResponse` and the agent protocol's inbox routes (issue 16), in-process, each response
/// checked against the OpenAPI document.
@Suite struct PushConfirmationAPITests {
    func agentCall(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ token: String,
        _ body: String? = nil
    )
        async throws -> (HTTPResponse.Status, Data)
    {
        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            ($0.status, Data(String(buffer: $0.body).utf8))
        }
    }

    @Test func aSubscriptionMakesThePathResourceAndAReadOfTheInboxConfirmsThePush() async throws {
        try await withSocketAPI { client, services in
            let schema = try OpenAPISchemaCheck()
            let directory = FileManager.default.temporaryDirectory.path
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w", topology: .p2p))
            _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
            _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:main", main: true))
            _ = try await client.send(
                .post,
                "/api/v1/workspaces/w/agents",
                body: CreateAgentRequest(address: "api:tool", runtime: .custom, command: "/bin/sh")
            )
            var tokens: [String] = []
            for agent in ["api:main", "api:tool"] {
                let (_, body) = try await client.send(
                    .post,
                    "/api/v1/workspaces/w/agents/\(agent)/connect",
                    body: ConnectAgentRequest(replace: false)
                )
                tokens.append(try decode(AgentConnection.self, body).token)
            }
            let (main, tool) = (tokens[0], tokens[1])
            // The tool's events stream: the hub counts it connected, so mail is pushed to it.
            let identity = try await services.sessions.authenticate(tool)
            _ = await services.hub.subscribe(identity.session.id)

            let (subscribed, _) = try await self.agentCall(client, .put, "/api/v1/agent/inbox/subscription", tool, #"{"subscribed":true}"#)
            let (_, sent) = try await self.agentCall(client, .post, "/api/v1/agent/tools/send_message", main, #"{"to":"api:tool","body":"secret"}"#)
            try await services.pushes.pushedOnStream(identity)  // what the events stream records once the hint is written
            let (_, pushedBody) = try await client.send(.get, "/api/v1/workspaces/w/agents/api:tool")
            let (inboxStatus, inboxBody) = try await self.agentCall(client, .get, "/api/v1/agent/inbox", tool)
            let (_, confirmedBody) = try await client.send(.get, "/api/v1/workspaces/w/agents/api:tool")

            #expect(subscribed == .noContent)
            #expect(try decode(AgentToolResult.self, sent).isError == false)
            let pushed = try decode(AgentResponse.self, pushedBody)
            #expect(pushed.pushPath == .resource && pushed.lastPushPath == .resource && pushed.lastPushConfirmedAt == nil)
            #expect(try schema.problems(pushedBody, "GET", "/api/v1/workspaces/{workspace}/agents/{agent}", 200) == [])
            #expect(inboxStatus == .ok)
            #expect(try schema.problems(inboxBody, "GET", "/api/v1/agent/inbox", 200) == [])
            let inbox = try decode(AgentInboxResponse.self, inboxBody)
            #expect(inbox.count == 1 && inbox.kinds == ["direct"] && !String(decoding: inboxBody, as: UTF8.self).contains("secret"))
            let confirmed = try decode(AgentResponse.self, confirmedBody)
            #expect(confirmed.lastPushConfirmedAt != nil && confirmed.pushWarning == nil)
        }
    }

    @Test func theInboxNeedsASessionToken() async throws {
        try await withSocketAPI { client, _ in
            let (status, body) = try await client.send(.get, "/api/v1/agent/inbox")

            #expect(status == .unauthorized)
            #expect(try decode(APIErrorBody.self, body).error.code == "invalid_session_token")
        }
    }
}
