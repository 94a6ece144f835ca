import Foundation
import MCP
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// `tools/list` and `tools/call` through a real `MCP.Client`, against a fake daemon.
@Suite struct ToolForwardingTests {
    @Test func toolsListReturnsTheCatalogue() async throws {
        let tools = try await withMCPSession { session in
            try await session.client.listTools().tools
        }

        #expect(tools.map(\.name) == AgentToolCatalogue.sample.tools.map(\.name))
        let send = try #require(tools.first { $0.name == "send_message" })
        let expected = try #require(AgentTools.definition(named: "send_message")).descriptor
        #expect(send.description == expected.description)
        #expect(JSONValue(send.inputSchema) == expected.inputSchema)
    }

    @Test func callForwardsNameAndArgumentsAndReturnsText() async throws {
        let backend = FakeAgentBackend()

        let result = try await withMCPSession(backend: backend) { session in
            try await session.call("set_summary", ["summary": "porting the parser", "n": 3, "ok": true])
        }

        let calls = await backend.calls
        #expect(calls == [.init(name: "set_summary", arguments: ["summary": "porting the parser", "n": 3, "ok": true])])
        #expect(result.content == [.text(text: #"set_summary {"n":3,"ok":true,"summary":"porting the parser"}"#, annotations: nil, _meta: nil)])
        #expect(result.isError == false)
        #expect(result.structuredContent?.objectValue?["tool"] == "set_summary")
        #expect(result._meta == nil)
    }

    @Test func refusalsAreToolResultsWithIsError() async throws {
        let backend = FakeAgentBackend { _, _ in
            AgentToolResult(text: "refused: star topology — only the main agent may message peers; message api:main instead", isError: true)
        }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.client.callTool(name: "send_message", arguments: ["to": "web:ui", "body": "hi"])
        }

        #expect(result.isError == true)
        #expect(
            result.content == [
                .text(text: "refused: star topology — only the main agent may message peers; message api:main instead", annotations: nil, _meta: nil)
            ]
        )
    }

    @Test func anUnreachableDaemonIsAToolErrorAfterRetrying() async throws {
        let backend = FakeAgentBackend { _, _ in throw ClientError.daemonNotRunning(socket: "/tmp/nowhere.sock") }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.client.callTool(name: "whoami")
        }

        let text = try #require(result.content.first.flatMap(Self.text))
        #expect(result.isError == true)
        #expect(text.contains("daemon is unreachable") && text.contains("whoami did not run"))
        #expect(await backend.calls.count == 3)  // the first attempt and the two test retries
    }

    @Test func aDaemonRefusalIsAToolErrorWithItsMessage() async throws {
        let backend = FakeAgentBackend { _, _ in
            throw ClientError.api(status: 404, code: "tool_not_found", message: "no tool named nope")
        }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.client.callTool(name: "nope")
        }

        #expect(result.isError == true)
        #expect(result.content.first.flatMap(Self.text) == "nope failed: no tool named nope (tool_not_found)")
        #expect(await backend.calls.count == 1)  // the daemon answered: never repeated
    }

    @Test func sendMessageWithoutClientMessageIdGetsOne() async throws {
        let backend = FakeAgentBackend()
        let server = testServer(backend: backend, makeMessageID: { "generated-1" })

        try await withMCPSession(backend: backend, server: server) { session in
            _ = try await session.client.callTool(name: "send_message", arguments: ["to": "web:ui", "body": "hi"])
            _ = try await session.client.callTool(
                name: "send_message",
                arguments: ["to": "web:ui", "body": "again", "clientMessageId": "mine-7"]
            )
        }

        let ids = await backend.calls.map { $0.arguments["clientMessageId"] }
        #expect(ids == ["generated-1", "mine-7"])
    }

    @Test func sendMessageRetriedAfterABrokenConnectionKeepsItsId() async throws {
        let attempts = Locked(0)
        let backend = FakeAgentBackend { _, _ in
            let attempt = attempts.withLock { count in
                count += 1
                return count
            }
            if attempt == 1 { throw ClientError.invalidResponse("the daemon closed the connection before the response ended") }
            return AgentToolResult(text: "sent", structured: ["id": "m-1"])
        }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.client.callTool(name: "send_message", arguments: ["to": "web:ui", "body": "hi"])
        }

        let ids = await backend.calls.map { $0.arguments["clientMessageId"]?.stringValue }
        #expect(result.isError == false)
        #expect(ids.count == 2 && ids[0] != nil && ids[0] == ids[1])
    }

    @Test func otherToolsAreNotRepeatedAfterABrokenConnection() async throws {
        let backend = FakeAgentBackend { _, _ in throw ClientError.invalidResponse("connection reset") }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.client.callTool(name: "set_summary", arguments: ["summary": "x"])
        }

        #expect(result.isError == true)
        #expect(result.content.first.flatMap(Self.text)?.contains("may or may not have run") == true)
        #expect(await backend.calls.count == 1)
    }

    @Test func aLeasedResultIsAcknowledgedOnceAndTheMarkerNeverReachesTheClient() async throws {
        let backend = FakeAgentBackend { _, _ in
            AgentToolResult(text: "1 message", structured: ["count": 1], leaseId: "lease-1")
        }

        let (result, acked, acksAfterAnotherCall) = try await withMCPSession(backend: backend) { session in
            let result = try await session.call("check_messages", [:])
            var acks = backend.acked.makeAsyncIterator()
            let acked = await acks.next()
            _ = try await session.client.listTools()  // one more round trip: nothing else is acknowledged
            return (result, acked, await backend.acks)
        }

        #expect(result._meta == nil)
        #expect(result.content == [.text(text: "1 message", annotations: nil, _meta: nil)])
        #expect(acked == "lease-1")
        #expect(acksAfterAnotherCall == ["lease-1"])
    }

    // MARK: Helpers

    static func text(_ content: Tool.Content) -> String? {
        if case .text(let text, _, _) = content { return text }
        return nil
    }
}
