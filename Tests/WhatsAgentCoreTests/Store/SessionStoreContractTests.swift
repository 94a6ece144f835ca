import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``SessionStore`` beside opening and ending (WorkspaceStoreContractTests): a managed session's runner
/// and exit, each agent's latest session, the summary and its mute, the push record; against every implementation.
@Suite struct SessionStoreContractTests {
    static func managed(_ agent: Agent, startedAt: Date = Contract.now) -> LiveSession {
        LiveSession(
            id: .generate(),
            agentID: agent.id,
            agentAddress: agent.address.description,
            kind: .managed,
            startedAt: startedAt,
            runtime: "claude",
            mcpConfigPath: "/tmp/contract/\(agent.name).json"
        )
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func aManagedSessionKeepsItsRunnerUntilItEndsAndThenHowItEnded(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let dev = try await seed.addAgent("api:dev")
        let session = Self.managed(dev)
        _ = try await store.openSession(session, tokenHash: "managed-\(UUID())", replace: false, now: Contract.now)

        try await store.recordRunner(session: session.id, runnerPID: 41, childPID: 42, socket: "/r/x.sock")
        let live = try #require(try await store.sessionDetail(session.id))
        #expect(live.isLive && live.runnerPID == 41 && live.childPID == 42 && live.runnerSocket == "/r/x.sock")
        #expect(live.session.mcpConfigPath == "/tmp/contract/dev.json" && live.session.runtime == "claude")
        #expect(try await store.liveManagedSessions().map(\.session.id) == [session.id])

        let tail = Data("last words\n".utf8)
        let ended = try await store.endManagedSession(
            session.id,
            exit: SessionExit(reason: "exited with code 2", code: 2, tail: tail),
            now: Contract.now
        )
        #expect(ended?.id == session.id)
        #expect(try await store.liveManagedSessions().isEmpty)
        let detail = try #require(try await store.latestSessions(withTail: true)[dev.id])
        #expect(detail.endReason == "exited with code 2" && detail.exitCode == 2 && detail.exitSignal == nil)
        #expect(detail.exitTail == tail && detail.runnerPID == nil && detail.runnerSocket == nil && !detail.isLive)
        #expect(try await store.latestSessions(withTail: false)[dev.id]?.exitTail == nil, "lists leave the tail out")
        #expect(try await store.sessionDetail(session.id)?.exitTail == tail)

        let again = try await store.endManagedSession(session.id, exit: SessionExit(reason: "other", signal: 9), now: Contract.now)
        #expect(again == nil, "ending again ends nothing")
        let kept = try #require(try await store.sessionDetail(session.id))
        #expect(kept.endReason == "exited with code 2" && kept.exitSignal == 9, "the first reason stays; the exit is added")
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func theLatestSessionOfEachAgentIsItsLiveOneElseItsNewest(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let old = Self.managed(dev, startedAt: Contract.now)
        _ = try await store.openSession(old, tokenHash: "old-\(UUID())", replace: false, now: Contract.now)
        _ = try await store.endManagedSession(old.id, exit: SessionExit(reason: "exited"), now: Contract.now.addingTimeInterval(5))
        let newer = Self.managed(dev, startedAt: Contract.now.addingTimeInterval(10))
        _ = try await store.openSession(newer, tokenHash: "newer-\(UUID())", replace: false, now: Contract.now)
        _ = try await store.endManagedSession(newer.id, exit: SessionExit(reason: "killed", signal: 15), now: Contract.now.addingTimeInterval(20))
        let qaOld = Self.managed(qa, startedAt: Contract.now.addingTimeInterval(30))
        _ = try await store.openSession(qaOld, tokenHash: "qa-old-\(UUID())", replace: false, now: Contract.now)
        let qaLive = Self.managed(qa, startedAt: Contract.now.addingTimeInterval(20))
        _ = try await store.openSession(qaLive, tokenHash: "qa-live-\(UUID())", replace: true, now: Contract.now.addingTimeInterval(40))

        let latest = try await store.latestSessions(withTail: false)

        #expect(latest[dev.id]?.session.id == newer.id && latest[dev.id]?.endReason == "killed")
        #expect(latest[qa.id]?.session.id == qaLive.id && latest[qa.id]?.isLive == true, "the live one, though it started earlier")
        #expect(latest[qa.id]?.session.id != qaOld.id)
        #expect(try await store.liveSessionsByAgent().mapValues(\.id) == [qa.id: qaLive.id])
        #expect(try await store.liveSession(of: dev.id) == nil)
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func aSummaryIsRefusedWhileMutedAndThePushRecordIsKeptPerSession(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let dev = try await seed.addAgent("api:dev")
        let session = try await seed.openSession(dev)

        try await store.setSummary("fixing the build", session: session, agent: dev.id, check: nil) { DomainError(.invalidState, "muted") }
        #expect(try await store.liveSession(of: dev.id)?.summary == "fixing the build")
        try await seed.mute(dev)
        let muted = await #expect(throws: DomainError.self) {
            try await store.setSummary("again", session: session, agent: dev.id, check: nil) { DomainError(.invalidState, "muted") }
        }
        #expect(muted?.message == "muted")
        #expect(try await store.liveSession(of: dev.id)?.summary == "fixing the build")

        #expect(try await store.sessionPushes([session]).isEmpty)
        let (first, wasSubscribed) = try await store.updateSessionPush(session) { push in
            let before = push.inboxSubscribed
            push.inboxSubscribed = true
            push.lastPushAt = Contract.now
            push.lastPushPath = .resource
            return before
        }
        #expect(!wasSubscribed && first.inboxSubscribed)
        let (second, _) = try await store.updateSessionPush(session) { push in push.lastConfirmedAt = Contract.now }
        #expect(second.inboxSubscribed && second.lastPushPath == .resource && second.lastConfirmedAt == Contract.now, "a change keeps the rest")
        #expect(try await store.sessionPushes([session, SessionID.generate()]) == [session: second])
    }
}
