import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentRunners
@testable import WhatsAgentServer

/// The JSON-RPC client of Codex's app-server (issue 16): requests matched to responses, notifications handed on,
/// and server requests (approvals, user input, elicitations) never answered.
@Suite struct AppServerRPCTests {
    /// What the client sent, in order; `messages(count:)` awaits the send that makes `count`.
    final class Wire: @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [JSONValue] = []
        private var waiters: [UUID: (count: Int, continuation: CheckedContinuation<[JSONValue]?, Never>)] = [:]

        func record(_ text: String) throws {
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            let (ready, sent) = self.lock.withLock {
                self.sent.append(value)
                let ready = self.waiters.filter { $0.value.count <= self.sent.count }
                for id in ready.keys { self.waiters[id] = nil }
                return (ready.values.map(\.continuation), self.sent)
            }
            for continuation in ready { continuation.resume(returning: sent) }
        }

        var messages: [JSONValue] { self.lock.withLock { self.sent } }

        /// The messages once there are at least `count`; nil when the waiting task is cancelled first.
        func messages(count: Int) async -> [JSONValue]? {
            let id = UUID()
            return await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let now: [JSONValue]?? = self.lock.withLock {
                        if self.sent.count >= count { return .some(self.sent) }
                        if Task.isCancelled { return .some(nil) }
                        self.waiters[id] = (count, continuation)
                        return nil
                    }
                    if let now { continuation.resume(returning: now) }
                }
            } onCancel: {
                let waiter = self.lock.withLock { self.waiters.removeValue(forKey: id) }
                waiter?.continuation.resume(returning: nil)
            }
        }
    }

    struct NothingSent: Error, CustomStringConvertible {
        let count: Int
        var description: String { "the client did not send \(self.count) message(s) within a minute" }
    }

    private func client() -> (AppServerRPC, Wire, AsyncStream<(method: String, params: JSONValue)>) {
        let wire = Wire()
        let (stream, continuation) = AsyncStream.makeStream(of: (method: String, params: JSONValue).self)
        return (AppServerRPC(send: { try wire.record($0) }, notifications: continuation), wire, stream)
    }

    /// Awaits the client's `count`th message. The minute only bounds a failure: on a loaded machine the calling
    /// tasks may wait seconds for a thread before they send.
    private func sent(_ wire: Wire, count: Int) async throws -> [JSONValue] {
        try await withThrowingTaskGroup(of: [JSONValue]?.self) { group in
            group.addTask { await wire.messages(count: count) }
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                return nil
            }
            defer { group.cancelAll() }
            guard let sent = try await group.next() ?? nil else { throw NothingSent(count: count) }
            return sent
        }
    }

    @Test func aRequestGetsItsOwnResultAndHasNoJSONRPCMember() async throws {
        let (rpc, wire, _) = self.client()
        async let first = rpc.call("thread/read", ["threadId": "t1"])
        async let second = rpc.call("thread/loaded/list")
        let requests = try await self.sent(wire, count: 2)
        #expect(requests.allSatisfy { $0["jsonrpc"] == nil })
        let ids = requests.compactMap { $0["id"]?.intValue }
        let byMethod = Dictionary(uniqueKeysWithValues: zip(requests.compactMap { $0["method"]?.stringValue }, ids))
        // Answered in the other order: each call still gets its own.
        await rpc.receive(#"{"id":\#(byMethod["thread/loaded/list"]!),"result":{"data":["t1"]}}"#)
        await rpc.receive(#"{"id":\#(byMethod["thread/read"]!),"result":{"thread":{"id":"t1"}}}"#)
        #expect(try await first == ["thread": ["id": "t1"]])
        #expect(try await second == ["data": ["t1"]])
    }

    @Test func anErrorResponseFailsTheCallWithItsCodeAndMessage() async throws {
        let (rpc, wire, _) = self.client()
        async let call = rpc.call("turn/steer", ["threadId": "t1", "expectedTurnId": "", "input": []])
        let id = try #require(try await self.sent(wire, count: 1)[0]["id"]?.intValue)
        await rpc.receive(#"{"id":\#(id),"error":{"code":-32600,"message":"expected active turn id `` but found `turn-7`"}}"#)
        do {
            _ = try await call
            Issue.record("an error response succeeded")
        } catch let failure as AppServerRPC.Failure {
            #expect(failure.code == -32600)
            #expect(CodexPushDecision.activeTurn(inRefusal: failure.message) == "turn-7")
        }
    }

    @Test func serverRequestsAreNeverAnsweredAndNotificationsAreHandedOn() async throws {
        let (rpc, wire, notifications) = self.client()
        await rpc.receive(#"{"id":0,"method":"item/commandExecution/requestApproval","params":{"threadId":"t1","command":"touch x"}}"#)
        await rpc.receive(#"{"id":1,"method":"item/tool/requestUserInput","params":{}}"#)
        await rpc.receive(#"{"id":2,"method":"mcpServer/elicitation/request","params":{}}"#)
        await rpc.receive(#"{"method":"thread/status/changed","params":{"threadId":"t1","status":{"type":"idle"}}}"#)
        await rpc.close()
        var seen: [String] = []
        for await (method, _) in notifications { seen.append(method) }
        #expect(seen == ["thread/status/changed"])
        #expect(
            await rpc.unansweredRequests == [
                "item/commandExecution/requestApproval", "item/tool/requestUserInput", "mcpServer/elicitation/request",
            ]
        )
        #expect(wire.messages.isEmpty, "nothing was sent back: no answer to any server request")
    }

    @Test func theEndOfTheConnectionFailsWaitingAndLaterCalls() async throws {
        let (rpc, wire, _) = self.client()
        let waiting = Task { try await rpc.call("thread/read", ["threadId": "t1"]) }
        _ = try await self.sent(wire, count: 1)
        await rpc.close()
        await #expect(throws: AppServerRPC.Failure.self) { try await waiting.value }
        await #expect(throws: AppServerRPC.Failure.self) { try await rpc.call("thread/loaded/list") }
    }

    @Test func aCallWithoutAnAnswerTimesOut() async throws {
        let (rpc, _, _) = self.client()
        await #expect(throws: AppServerRPC.Failure.self) { try await rpc.call("thread/read", timeout: .milliseconds(50)) }
    }
}

/// Which thread is the TUI's, and what a push does with it.
@Suite struct CodexThreadTrackerTests {
    @Test func theNewestLoadedThreadThenEveryStartedOne() {
        var tracker = CodexThreadTracker()
        tracker.found("old", createdAt: 100)
        tracker.found("new", createdAt: 200)
        tracker.found("older", createdAt: 50)
        #expect(tracker.current == "new")
        // The human ran /new: the server announces the thread to every client.
        tracker.notified("thread/started", ["thread": ["id": "fresh", "ephemeral": false, "status": ["type": "idle"]]])
        #expect(tracker.current == "fresh")
        tracker.found("walked-late", createdAt: 300)
        #expect(tracker.current == "fresh", "an announced thread wins over the loaded-list walk")
        tracker.notified("thread/started", ["thread": ["id": "side", "ephemeral": true]])
        #expect(tracker.current == "fresh", "an ephemeral thread is no TUI's")
        tracker.notified("thread/closed", ["threadId": "other"])
        #expect(tracker.current == "fresh")
        tracker.notified("thread/closed", ["threadId": "fresh"])
        #expect(tracker.current == nil)
    }

    @Test func idleStartsActiveSteersTheRunningTurnAnythingElseWaits() {
        #expect(CodexPushDecision(thread: ["status": ["type": "idle"]]) == .start)
        let running: JSONValue = [
            "status": ["type": "active", "activeFlags": ["waitingOnApproval"]],
            "turns": [["id": "t1", "status": "completed"], ["id": "t2", "status": "inProgress"]],
        ]
        #expect(CodexPushDecision(thread: running) == .steer(turn: "t2"))
        #expect(CodexPushDecision(thread: ["status": ["type": "active", "activeFlags": []]]) == .steer(turn: nil))
        #expect(CodexPushDecision(thread: ["status": ["type": "notLoaded"]]) == .wait("the thread is notLoaded"))
        #expect(CodexPushDecision(thread: ["status": ["type": "systemError"]]) == .wait("the thread is systemError"))
        #expect(CodexPushDecision.activeTurn(inRefusal: "expected active turn id `` but found `01a2-ff`") == "01a2-ff")
        #expect(CodexPushDecision.activeTurn(inRefusal: "no active turn to steer") == nil)
    }
}
