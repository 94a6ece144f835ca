import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI

@testable import WhatsAgentServer

/// Search tools on the agent protocol, and the human's search, broadcast and channel-members routes, in-process.
@Suite struct SearchAPITests {
    /// A workspace with api:main (main), api:dev and api:qa, all connected; returns their tokens by agent name.
    func setUp(_ client: any TestClientProtocol, topology: TopologyValue = .star) async throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.path
        _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w", topology: topology))
        _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
        var tokens: [String: String] = [:]
        for name in ["main", "dev", "qa"] {
            _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:\(name)", main: name == "main"))
            let (_, body) = try await client.send(.post, "/api/v1/workspaces/w/agents/api:\(name)/connect", body: ConnectAgentRequest(replace: false))
            tokens[name] = try decode(AgentConnection.self, body).token
        }
        return tokens
    }

    func call(_ client: any TestClientProtocol, _ token: String?, _ tool: String, _ arguments: String) async throws -> AgentToolResult {
        let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token ?? "")"]
        return try await client.execute(uri: "/api/v1/agent/tools/\(tool)", method: .post, headers: headers, body: ByteBuffer(string: arguments)) {
            #expect($0.status == .ok)
            return try decode(AgentToolResult.self, Data(String(buffer: $0.body).utf8))
        }
    }

    func ids(_ result: AgentToolResult) -> [String] {
        guard case .array(let results) = result.structured?["results"] else { return [] }
        return results.compactMap { if case .string(let id) = $0["id"] { id } else { nil } }
    }

    @Test func searchDirectMessagesFindsOnlyTheCallersConversationsWithFencedPreviews() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)
            let sent = try await self.call(client, tokens["main"], "send_message", #"{"to":"api:dev","body":"deploy window is 14:00"}"#)
            _ = try await self.call(client, tokens["main"], "send_message", #"{"to":"api:qa","body":"deploy checks for qa"}"#)

            let dev = try await self.call(client, tokens["dev"], "search_direct_messages", #"{"query":"deploy"}"#)
            let devFromQA = try await self.call(client, tokens["dev"], "search_direct_messages", #"{"query":"deploy","sender":"api:qa"}"#)
            let qa = try await self.call(client, tokens["qa"], "search_direct_messages", #"{"query":"deploy window","limit":5}"#)

            #expect(!dev.isError)
            #expect(self.ids(dev) == [try #require(sent.structured?["messageId"]?.stringValue)])
            #expect(dev.structured?["total"] == .number(1) && dev.structured?["truncated"] == .bool(false))
            let nonce = try #require(dev.structured?["nonce"]?.stringValue)
            #expect(dev.text.contains("<<<UNTRUSTED-BODY-\(nonce)\ndeploy window is 14:00\n>>>END-UNTRUSTED-\(nonce)"))
            #expect(dev.text.contains("from: api:main") && dev.text.contains("1 of 1 result"))
            #expect(self.ids(devFromQA).isEmpty && devFromQA.text.contains("No results"))
            #expect(self.ids(qa).isEmpty, "qa's message says 'deploy checks', not the phrase 'deploy window'")

            // The sender sees its message's delivery state (SPEC §7.2): api:dev never connected, so it is queued.
            let mine = try await self.call(client, tokens["main"], "search_direct_messages", #"{"query":"deploy window"}"#)
            guard case .array(let hits) = mine.structured?["results"] else {
                Issue.record("no results: \(mine.text)")
                return
            }
            #expect(hits.map { $0["state"] } == [.string("queued")])
            #expect(mine.text.contains("state: queued"))
        }
    }

    @Test func searchChannelMessagesNeedsMembershipAndSaysHowToJoin() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client, topology: .channel)
            _ = try await self.call(client, tokens["main"], "create_channel", #"{"channel":"ops"}"#)
            let ops = try await self.call(client, tokens["main"], "post_channel_message", #"{"channel":"ops","body":"rotate the keys"}"#)
            _ = try await self.call(client, tokens["main"], "post_channel_message", #"{"body":"keys rotated soon"}"#)

            let refused = try await self.call(client, tokens["dev"], "search_channel_messages", ##"{"query":"keys","channel":"#ops"}"##)
            let shared = try await self.call(client, tokens["dev"], "search_channel_messages", #"{"query":"keys"}"#)
            let main = try await self.call(client, tokens["main"], "search_channel_messages", #"{"query":"rotate","channel":"ops"}"#)

            #expect(refused.isError && refused.text.contains("join_channel"))
            #expect(refused.structured?["error"]?["code"] == .string("invalid_state"))
            #expect(shared.structured?["total"] == .number(1), "only #shared: dev is not in #ops")
            #expect(self.ids(main) == [try #require(ops.structured?["messageId"]?.stringValue)])
            #expect(main.text.contains("channel: #ops"))
        }
    }

    @Test(arguments: ["x", "\"", "   ", "AND OR NOT", "(", "* *", String(repeating: "q", count: 300)])
    func badToolQueriesAreToolErrorsNeverFailures(_ query: String) async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)
            let arguments = String(decoding: try JSONEncoder().encode(["query": query]), as: UTF8.self)

            let result = try await self.call(client, tokens["dev"], "search_direct_messages", arguments)

            if query == "AND OR NOT" {
                #expect(!result.isError, "syntax words are searched for literally")
            } else {
                #expect(result.isError && result.structured?["error"]?["code"] == .string("invalid_argument"), "\(result.text)")
            }
        }
    }

    @Test func theHumanSearchesEveryMessageAndEveryChannelOverREST() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)
            _ = try await self.call(client, tokens["main"], "send_message", #"{"to":"api:dev","body":"Résumé of the café meeting"}"#)
            _ = try await self.call(client, tokens["dev"], "send_message", #"{"to":"api:qa","body":"cafe gossip"}"#)

            let (status, body) = try await client.send(.get, "/api/v1/workspaces/w/messages/search?q=cafe&limit=10")
            let (filteredStatus, filteredBody) = try await client.send(.get, "/api/v1/workspaces/w/messages/search?q=caf%C3%A9&sender=api%3Amain")
            let (missing, missingBody) = try await client.send(.get, "/api/v1/workspaces/w/messages/search")
            let (short, _) = try await client.send(.get, "/api/v1/workspaces/w/messages/search?q=c")
            let (syntax, _) = try await client.send(.get, "/api/v1/workspaces/w/messages/search?q=%22cafe%20OR%20(")
            let (badLimit, _) = try await client.send(.get, "/api/v1/workspaces/w/channels/search?q=cafe&limit=500")
            let (channels, channelsBody) = try await client.send(.get, "/api/v1/workspaces/w/channels/search?q=cafe&channel=shared")

            let results = try decode(MessageSearchResults.self, body)
            #expect(status == .ok)
            #expect(results.total == 2 && results.results.count == 2 && !results.truncated)
            #expect(results.results.contains { $0.state == "rejected" && $0.preview == "cafe gossip" }, "the human sees refused messages")
            #expect(filteredStatus == .ok)
            #expect(try decode(MessageSearchResults.self, filteredBody).results.map(\.from) == ["api:main"])
            #expect(missing == .badRequest)
            #expect(try decode(APIErrorBody.self, missingBody).error.message.contains("q"))
            #expect(short == .badRequest)
            #expect(syntax == .ok)
            #expect(badLimit == .badRequest)
            #expect(channels == .ok)
            #expect(try decode(ChannelSearchResults.self, channelsBody).total == 0)
        }
    }

    @Test func theHumanBroadcastsToEveryAgentButNotInChannelTopology() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client)

            let (status, body) = try await client.send(.post, "/api/v1/workspaces/w/broadcasts", body: BroadcastRequest(body: "lunch at noon"))
            let inbox = try await self.call(client, tokens["qa"], "check_messages", "{}")
            let (empty, _) = try await client.send(.post, "/api/v1/workspaces/w/broadcasts", body: BroadcastRequest(body: "  "))

            let result = try decode(BroadcastResult.self, body)
            #expect(status == .created)
            #expect(Set(result.messages.map(\.to)) == ["api:main", "api:dev", "api:qa"])
            #expect(result.messages.allSatisfy { $0.kind == "broadcast" && $0.from == "human-web" })
            #expect(Set(result.messages.map(\.threadId)).count == 1)
            #expect(inbox.text.contains("lunch at noon") && inbox.text.contains("kind: broadcast"))
            #expect(empty == .badRequest)
        }
        try await withSocketAPI { client, _ in
            _ = try await self.setUp(client, topology: .channel)

            let (status, body) = try await client.send(.post, "/api/v1/workspaces/w/broadcasts", body: BroadcastRequest(body: "hello"))

            #expect(status == .forbidden)
            let error = try decode(APIErrorBody.self, body).error
            #expect(error.code == "topology_refused" && error.message.contains("#shared"))
        }
    }

    @Test func channelMembersListTheAgentsWithPresence() async throws {
        try await withSocketAPI { client, _ in
            let tokens = try await self.setUp(client, topology: .channel)
            _ = try await self.call(client, tokens["main"], "create_channel", #"{"channel":"ops"}"#)

            let (sharedStatus, sharedBody) = try await client.send(.get, "/api/v1/workspaces/w/channels/shared/members")
            let (_, opsBody) = try await client.send(.get, "/api/v1/workspaces/w/channels/%23ops/members")
            let (missing, missingBody) = try await client.send(.get, "/api/v1/workspaces/w/channels/nowhere/members")

            let shared = try decode(ChannelMemberList.self, sharedBody)
            #expect(sharedStatus == .ok)
            #expect(shared.channel == "shared" && Set(shared.members.map(\.agent)) == ["api:main", "api:dev", "api:qa"])
            #expect(shared.members.allSatisfy { !$0.online }, "nobody holds an events stream")
            #expect(shared.members.first { $0.agent == "api:main" }?.isMain == true)
            #expect(try decode(ChannelMemberList.self, opsBody).members.map(\.agent) == ["api:main"])
            #expect(missing == .notFound)
            #expect(try decode(APIErrorBody.self, missingBody).error.code == "not_found")
        }
    }
}
