import Foundation
import MCP
import Testing
import WhatsAgentAPI

@testable import WhatsAgentMCP

/// `tools/call` requests answered by the transport without the SDK's `Value` decoding (``DirectToolCall``): the same
/// calls and results as through the SDK. The SDK server has no `tools/call` handler: ``ToolCallPath`` is the one way
/// a tool runs, and a malformed call is refused there.
@Suite struct DirectToolCallTests {
    @Test func aWellFormedCallIsReadWithItsIdNameAndArguments() throws {
        let call = try #require(
            DirectToolCall(
                Data(
                    #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"send_message","arguments":{"to":"api:b","body":"data:text/plain;base64,aGk="}}}"#
                        .utf8
                )
            )
        )
        #expect(call == DirectToolCall(id: .number(7), name: "send_message", arguments: ["to": "api:b", "body": "data:text/plain;base64,aGk="]))
        let stringID = try #require(DirectToolCall(Data(#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"whoami"}}"#.utf8)))
        #expect(stringID.id == .string("a") && stringID.arguments.isEmpty)
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"whoami"}}"#,  // a notification: no id
        #"{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"whoami"}}"#,  // an id ID cannot hold
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":[1]}}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"tools/call"}}"#,
        #"{"id":1,"method":"tools/call","params":{"name":"whoami"}}"#,
        #"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami"}}]"#,  // a batch
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami""#,
    ])
    func anythingElseIsLeftToTheSDK(_ json: String) {
        #expect(DirectToolCall(Data(json.utf8)) == nil)
    }

    @Test func theResponseIsTheSDKsEncodingOfTheResult() throws {
        let call = DirectToolCall(id: .string("x"), name: "whoami", arguments: [:])
        let result = CallTool.Result(content: [.text(text: "hi", annotations: nil, _meta: nil)], isError: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try call.response(result) == (try encoder.encode(CallTool.response(id: .string("x"), result: result))))
    }

    @Test func aCallOverTheWireReachesTheDaemonWithDataURLStringsUnchanged() async throws {
        let backend = FakeAgentBackend()
        let response = try await Self.afterInitialize(
            backend,
            send:
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_peers","arguments":{"note":"data:text/plain;base64,aGk=","n":3}}}"#
        )
        #expect(response?["id"] == 2)
        #expect(response?["result"]?["isError"] == false)
        #expect(await backend.calls == [.init(name: "list_peers", arguments: ["note": "data:text/plain;base64,aGk=", "n": 3])])
    }

    @Test func aCallWhoseMethodHasAnEscapedSlashIsReadToo() {
        // Foundation's encoder writes `tools\/call`, as the SDK's own client does.
        let call = DirectToolCall(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools\/call","params":{"name":"whoami"}}"#.utf8))
        #expect(call == DirectToolCall(id: .number(2), name: "whoami", arguments: [:]))
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":[1]}}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#,
    ])
    func aCallWithAnIdButMalformedParamsIsReadAsMalformed(_ json: String) {
        #expect(DirectToolCall.read(Data(json.utf8)) == .malformed(id: .number(1)))
    }

    @Test func aToolCallTheTransportDoesNotClaimRunsNoTool() async throws {
        let backend = FakeAgentBackend()
        let response = try await Self.afterInitialize(
            backend,
            send: #"[{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"whoami","arguments":{}}}]"#
        )
        guard case .array(let answers)? = response, answers.count == 1 else {
            Issue.record("expected one batch answer, got \(String(describing: response))")
            return
        }
        #expect(answers[0]["id"] == 5)
        #expect(answers[0]["error"]?["code"] == -32601)
        #expect(await backend.calls.isEmpty)
    }

    @Test func aMalformedCallIsRefusedWithInvalidParams() async throws {
        let backend = FakeAgentBackend()
        let response = try await withRawMCP(backend: backend) { client in
            try await client.send(RawMCPClient.initialize(id: "1", capabilities: "{}"))
            _ = try await client.next()
            try await client.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":[1]}}"#)
            return try await client.next()
        }
        #expect(response?["id"] == 3)
        #expect(response?["error"] != nil)
        #expect(response?["error"]?["code"] == -32602)
        #expect(response?["error"]?["message"]?.stringValue?.contains("tools/list") == true)
        #expect(await backend.calls.isEmpty)
    }

    /// The answer to `message`, sent once the client has initialized.
    static func afterInitialize(_ backend: FakeAgentBackend, send message: String) async throws -> JSONValue? {
        try await withRawMCP(backend: backend) { client in
            try await client.send(RawMCPClient.initialize(id: "1", capabilities: "{}"))
            _ = try await client.next()
            try await client.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            try await client.send(message)
            return try await client.next()
        }
    }
}
