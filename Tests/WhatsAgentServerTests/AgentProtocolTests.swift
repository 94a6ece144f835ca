import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI

@testable import WhatsAgentServer

/// The agent protocol in-process: bearer auth, catalogue, tool calls with typed refusals, leases.
@Suite struct AgentProtocolTests {
    /// A workspace with api:main (main) and api:dev, both connected; returns their tokens.
    func setUp(_ client: any TestClientProtocol, topology: TopologyValue = .star) async throws -> (main: String, dev: String) {
        // Every test has its own in-memory registry, so they can all register one existing folder: nothing to clean up.
        let directory = FileManager.default.temporaryDirectory.path
        _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w", topology: topology))
        _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
        _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:main", main: true))
        _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:dev"))
        var tokens: [String] = []
        for agent in ["api:main", "api:dev"] {
            let (status, body) = try await client.send(
                .post,
                "/api/v1/workspaces/w/agents/\(agent)/connect",
                body: ConnectAgentRequest(replace: false)
            )
            #expect(status == .created)
            tokens.append(try decode(AgentConnection.self, body).token)
        }
        return (tokens[0], tokens[1])
    }

    func call(
        _ client: any TestClientProtocol,
        _ token: String?,
        _ tool: String,
        _ arguments: String = "{}"
    ) async throws -> (HTTPResponse.Status, Data) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/agent/tools/\(tool)", method: .post, headers: headers, body: ByteBuffer(string: arguments)) {
            ($0.status, Data(String(buffer: $0.body).utf8))
        }
    }

    @Test func theCatalogueNeedsAValidToken() async throws {
        try await withSocketAPI { client, _ in
            let (main, _) = try await self.setUp(client)

            let (missing, missingBody) = try await client.send(.get, "/api/v1/agent/tools")
            let forged = try await client.execute(uri: "/api/v1/agent/tools", method: .get, headers: [.authorization: "Bearer wa1_nope"]) {
                $0.status
            }
            let catalogue = try await client.execute(uri: "/api/v1/agent/tools", method: .get, headers: [.authorization: "Bearer \(main)"]) {
                try decode(AgentToolCatalogue.self, Data(String(buffer: $0.body).utf8))
            }

            #expect(missing == .unauthorized)
            #expect(try decode(APIErrorBody.self, missingBody).error.code == "invalid_session_token")
            #expect(forged == .unauthorized)
            #expect(catalogue.agent == "api:main")
            #expect(Set(catalogue.tools.map(\.name)) == AgentToolDispatcher.served)
            #expect(catalogue.tools.map(\.name).allSatisfy { AgentTools.definition(named: $0) != nil })
        }
    }

    @Test func sendCheckAndAcknowledge() async throws {
        try await withSocketAPI { client, _ in
            let (main, dev) = try await self.setUp(client)

            let (_, sentBody) = try await self.call(client, main, "send_message", #"{"to":"api:dev","body":"build the API","clientMessageId":"m1"}"#)
            let sent = try decode(AgentToolResult.self, sentBody)
            #expect(!sent.isError)
            #expect(sent.structured?["recipientOnline"] == .bool(false))

            let (_, inboxBody) = try await self.call(client, dev, "check_messages", #"{"limit":5}"#)
            let inbox = try decode(AgentToolResult.self, inboxBody)
            #expect(inbox.text.contains("build the API"))
            #expect(inbox.text.contains("<<<UNTRUSTED-BODY-"))
            let lease = try #require(inbox.leaseId)

            let ack = try await client.execute(
                uri: "/api/v1/agent/ack",
                method: .post,
                headers: [.authorization: "Bearer \(dev)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"leaseId":"\#(lease)"}"#)
            ) { $0.status }
            #expect(ack == .noContent)

            let (_, emptyBody) = try await self.call(client, dev, "check_messages")
            #expect(try decode(AgentToolResult.self, emptyBody).leaseId == nil)
        }
    }

    /// Issue 14 (low): acknowledging another agent's lease, or a made-up one, answered 204. It is 404 now; a repeat
    /// of the agent's own acknowledgement stays 204 (`whatsagent mcp` retries after a reconnect).
    @Test func onlyTheAgentsOwnLeaseIsAcknowledged() async throws {
        try await withSocketAPI { client, _ in
            let (main, dev) = try await self.setUp(client)
            _ = try await self.call(client, main, "send_message", #"{"to":"api:dev","body":"build the API"}"#)
            let (_, inboxBody) = try await self.call(client, dev, "check_messages", #"{"limit":5}"#)
            let lease = try #require(try decode(AgentToolResult.self, inboxBody).leaseId)
            let ack = { (token: String, lease: String) in
                try await client.execute(
                    uri: "/api/v1/agent/ack",
                    method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"leaseId":"\#(lease)"}"#)
                ) { ($0.status, String(buffer: $0.body)) }
            }

            let stolen = try await ack(main, lease)
            let madeUp = try await ack(dev, "made-up-lease")
            #expect(stolen.0 == .notFound, "another agent's lease: \(stolen)")
            #expect(stolen.1.contains("check_messages"))
            #expect(madeUp.0 == .notFound)
            #expect(try await ack(dev, lease).0 == .noContent)
            #expect(try await ack(dev, lease).0 == .noContent, "a repeat of the agent's own acknowledgement")
            #expect(try await ack(main, lease).0 == .notFound)
        }
    }

    @Test(arguments: [
        ("send_message", #"{"to":"api:main"}"#, "needs the argument 'body'"),
        ("send_message", #"{"to":"api:main","body":7}"#, "must be a string"),
        ("send_message", #"{"to":"api:main","body":"x","urgent":true}"#, "has no argument 'urgent'"),
        ("send_message", #"{"to":"api:ghost","body":"x"}"#, "unknown recipient"),
        ("check_messages", #"{"limit":"ten"}"#, "must be a whole number"),
        ("check_messages", #"{"limit":500}"#, "from 1 to 100"),
        ("check_messages", #"["not","an","object"]"#, "JSON object"),
        ("search_channel_messages", #"{"query":"x"}"#, "2 to 200 characters"),
        ("search_direct_messages", #"{"query":"deploy","channel":"shared"}"#, "has no argument 'channel'"),
        ("no_such_tool", #"{}"#, "unknown tool"),
        ("post_channel_message", #"{"body":"x"}"#, "channel topology"),
        ("send_message", #"{"#, "not valid JSON"),
    ])
    func badArgumentsAreToolErrors(tool: String, arguments: String, expected: String) async throws {
        try await withSocketAPI { client, _ in
            let (_, dev) = try await self.setUp(client)

            let (status, body) = try await self.call(client, dev, tool, arguments)
            let result = try decode(AgentToolResult.self, body)

            #expect(status == .ok)
            #expect(result.isError)
            #expect(result.text.contains(expected), "\(result.text)")
        }
    }

    /// SPEC §7.1 (issue 15, finding 7): in star, an agent the human wrote to answers the human; agent ↔ agent
    /// messages still need the main agent at one end, and that refusal is a tool error naming the main agent.
    @Test func starTopologyLetsAnyAgentAnswerTheHumanButNotAPeer() async throws {
        try await withSocketAPI { client, _ in
            let (_, dev) = try await self.setUp(client)
            _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:qa"))

            let (_, answerBody) = try await self.call(client, dev, "send_message", #"{"to":"human-web","body":"done"}"#)
            let (_, peerBody) = try await self.call(client, dev, "send_message", #"{"to":"api:qa","body":"psst"}"#)
            let answer = try decode(AgentToolResult.self, answerBody)
            let peer = try decode(AgentToolResult.self, peerBody)

            #expect(!answer.isError, "\(answer.text)")
            #expect(peer.isError)
            #expect(peer.text.contains("api:main"))
            #expect(peer.structured?["error"]?["code"] == .string("topology_refused"))
        }
    }

    @Test func whoamiAndPeers() async throws {
        try await withSocketAPI { client, _ in
            let (main, dev) = try await self.setUp(client)
            _ = try await self.call(client, dev, "set_summary", #"{"summary":"writing tests"}"#)

            let whoami = try decode(AgentToolResult.self, try await self.call(client, main, "whoami").1)
            let peers = try decode(AgentToolResult.self, try await self.call(client, main, "list_peers").1)

            #expect(whoami.structured?["agent"] == .string("api:main"))
            #expect(whoami.structured?["topology"] == .string("star"))
            #expect(whoami.structured?["isMain"] == .bool(true))
            #expect(peers.text.contains("api:dev: offline"))
            #expect(peers.text.contains("writing tests"))
        }
    }

    @Test func humanMessagesAndDisconnect() async throws {
        try await withSocketAPI { client, _ in
            let (_, dev) = try await self.setUp(client)

            let (status, body) = try await client.send(.post, "/api/v1/workspaces/w/messages", body: SendMessageRequest(to: "api:dev", body: "hi"))
            #expect(status == .created)
            #expect(try decode(SendMessageResult.self, body).message.from == "human-web")

            let (ended, _) = try await client.send(.post, "/api/v1/workspaces/w/agents/api:dev/disconnect")
            #expect(ended == .ok)
            #expect(try await self.call(client, dev, "whoami").0 == .unauthorized)
            let (again, againBody) = try await client.send(.post, "/api/v1/workspaces/w/agents/api:dev/disconnect")
            #expect(again == .conflict)
            #expect(try decode(APIErrorBody.self, againBody).error.code == "invalid_state")
        }
    }
}
