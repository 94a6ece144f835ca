import Foundation
import HTTPTypes
import Testing
import WhatsAgentAPI
import WhatsAgentTerminal

@testable import WhatsAgentServer

/// Upgrades of the terminal stream that must be refused, each with the usual JSON error: in-process against the TCP
/// router (the live stream itself is in ``TerminalStreamTests``).
@Suite struct TerminalStreamRefusalTests {
    static let upgrade: HTTPFields = [.upgrade: "websocket", .connection: "Upgrade", .secWebSocketVersion: "13"]

    static func path(_ agent: String = "api%3Amain", query: String) -> String {
        "/api/v1/workspaces/current/agents/\(agent)/terminal/stream?\(query)"
    }

    @Test func refusedWithoutLoginCSRFOrTheOwnOrigin() async throws {
        try await withWebAPI { browser, _, token in
            let anonymous = try await browser.send(.get, Self.path(query: "csrf=x"), headers: Self.upgrade)
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "authentication_required")

            try await browser.setUp(token: token)
            let csrf = try #require(browser.csrf)
            let missing = try await browser.send(.get, Self.path(query: ""), headers: Self.upgrade)
            let wrong = try await browser.send(.get, Self.path(query: "csrf=not-the-token"), headers: Self.upgrade)
            #expect(missing.status == .forbidden && missing.errorCode == "csrf_token_invalid")
            #expect(wrong.status == .forbidden && wrong.errorCode == "csrf_token_invalid")

            browser.origin = "http://evil.example"
            let foreign = try await browser.send(.get, Self.path(query: "csrf=\(csrf)"), headers: Self.upgrade)
            #expect(foreign.status == .forbidden && foreign.errorCode == "origin_not_allowed")
        }
    }

    @Test func refusedForAnUnknownOrStoppedAgentWithWhatToDo() async throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("wa-term-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try await withWebAPI { browser, _, token in
            try await browser.setUp(token: token)
            let csrf = try #require(browser.csrf)
            #expect(try await browser.send(.post, "/api/v1/workspaces", json: #"{"name":"alpha"}"#).status == .created)
            let repoJSON = #"{"path":"\#(repo)","name":"api"}"#
            #expect(try await browser.send(.post, "/api/v1/workspaces/current/repos", json: repoJSON).status == .created)
            let agentJSON = #"{"address":"api:main","runtime":"custom","command":"/bin/cat"}"#
            #expect(try await browser.send(.post, "/api/v1/workspaces/current/agents", json: agentJSON).status == .created)

            let unknown = try await browser.send(.get, Self.path("api%3Aghost", query: "csrf=\(csrf)"), headers: Self.upgrade)
            #expect(unknown.status == .notFound && unknown.errorCode == "agent_not_found")

            let stopped = try await browser.send(.get, Self.path(query: "csrf=\(csrf)"), headers: Self.upgrade)
            #expect(stopped.status == .conflict && stopped.errorCode == "invalid_state")
            let message = try decode(APIErrorBody.self, stopped.body).error.message
            #expect(message.contains("not running") && message.contains("whatsagent agent launch api:main"))

            let badOffset = try await browser.send(.get, Self.path(query: "csrf=\(csrf)&from=-1"), headers: Self.upgrade)
            #expect(badOffset.status == .badRequest && badOffset.errorCode == "invalid_argument")
        }
    }

    @Test func framesFromTheBrowserAreParsedStrictly() throws {
        #expect(try TerminalViewerRequest(parsing: #"{"type":"input","data":"ls\n"}"#) == .input("ls\n"))
        #expect(try TerminalViewerRequest(parsing: #"{"type":"resize","cols":80,"rows":24}"#) == .resize(.init(cols: 80, rows: 24)))
        #expect(try TerminalViewerRequest(parsing: #"{"type":"redraw"}"#) == .redraw)
        #expect(try TerminalViewerRequest(parsing: #"{"type":"nudge"}"#) == .nudge)
        #expect(try TerminalViewerRequest(parsing: #"{"type":"ping"}"#) == .ignored)
        for invalid in [#"not json"#, #"{"type":"input"}"#, #"{"type":"resize","cols":0,"rows":24}"#, #"{"type":"resize","cols":80}"#] {
            #expect(throws: TerminalViewerRequest.Invalid.self, "\(invalid)") { try TerminalViewerRequest(parsing: invalid) }
        }
    }

    @Test func eventsAreTheContractsJSON() throws {
        let subscribed = try #require(
            TerminalView.object(TerminalStreamMessage.subscribed(startOffset: 5, endOffset: 9, size: .default, attention: true))
        )
        #expect(subscribed["type"] as? String == "subscribed" && subscribed["startOffset"] as? Int == 5 && subscribed["endOffset"] as? Int == 9)
        #expect(subscribed["cols"] as? Int == 120 && subscribed["rows"] as? Int == 32 && subscribed["attention"] as? Bool == true)
        let killed = try #require(TerminalView.object(TerminalStreamMessage.exited(.init(signal: 9))))
        #expect(killed["exitCode"] is NSNull && killed["reason"] as? String == "killed by signal 9")
        let exited = try #require(TerminalView.object(TerminalStreamMessage.exited(.init(code: 3))))
        #expect(exited["exitCode"] as? Int == 3)
    }
}
