import Foundation
import MCP
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// What a real client hands the model is the structured content (SPEC §8): `tools/list` declares each tool's
/// `outputSchema`, and every result — daemon answers and failures this process writes itself — carries
/// `{"text": …}` with the text block verbatim.
@Suite struct ToolResultShapeMCPTests {
    @Test func toolsListDeclaresEveryOutputSchema() async throws {
        let tools = try await withMCPSession { session in
            try await session.client.listTools().tools
        }

        #expect(!tools.isEmpty)
        for tool in tools {
            let expected = try #require(AgentTools.definition(named: tool.name)?.descriptor.outputSchema, "\(tool.name)")
            #expect(tool.outputSchema.map { JSONValue($0) } == expected, "\(tool.name)")
        }
    }

    @Test func aDaemonResultKeepsItsFieldsAndCarriesItsText() async throws {
        let backend = FakeAgentBackend { _, _ in
            AgentToolResult(text: "Sent message 7.", structured: ["messageId": "7", "text": "Sent message 7."])
        }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.call("send_message", ["to": "api:dev", "body": "hi"])
        }

        #expect(result.structuredContent == .object(["messageId": "7", "text": "Sent message 7."]))
    }

    @Test func aResultWithoutStructuredContentGetsItsText() async throws {
        let backend = FakeAgentBackend { _, _ in AgentToolResult(text: "refused: use send_message", isError: true) }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.call("whoami", [:])
        }

        #expect(result.isError == true)
        #expect(result.structuredContent == .object(["text": "refused: use send_message"]))
    }

    @Test(arguments: [
        (ClientError.daemonNotRunning(socket: "/tmp/nowhere.sock") as any Error, "daemon_unreachable"),
        (ClientError.api(status: 404, code: "tool_not_found", message: "no tool named nope") as any Error, "tool_not_found"),
        (ClientError.api(status: 401, code: "invalid_session_token", message: "the session ended") as any Error, "invalid_session_token"),
    ])
    func failuresWrittenHereAreStructuredToo(error: any Error, code: String) async throws {
        let backend = FakeAgentBackend { _, _ in throw error }

        let result = try await withMCPSession(backend: backend) { session in
            try await session.call("whoami", [:])
        }

        let text = try #require(result.content.first.flatMap(ToolForwardingTests.text))
        #expect(result.isError == true)
        #expect(result.structuredContent == .object(["text": .string(text), "error": .object(["code": .string(code)])]))
        let schema = try #require(AgentTools.definition(named: "whoami")?.descriptor.outputSchema)
        guard case .array(let options)? = schema["anyOf"] else {
            Issue.record("whoami's outputSchema has no anyOf")
            return
        }
        #expect(options.contains(["required": ["error"]]), "an error result satisfies the schema through its error field")
    }
}
