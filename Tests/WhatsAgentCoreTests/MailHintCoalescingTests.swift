import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Mail hints to one connection are coalesced while one is in flight (issue 21): the connection reads one hint naming
/// all that waits, never a backlog of stale ones, and nothing else it was sent is lost or reordered.
@Suite struct MailHintCoalescingTests {
    static func hint(_ count: Int, committedAt: ContinuousClock.Instant? = nil, recordedPath: MessagePushPath? = nil) -> MailHint {
        MailHint(
            count: count,
            messageIDs: (1...count).map(String.init),
            kinds: ["direct"],
            cursor: "\(count)",
            committedAt: committedAt,
            recordedPath: recordedPath
        )
    }

    @Test func hintsSentWhileOneWaitsBecomeOneNamingEverything() async throws {
        let hub = EventHub()
        let session = SessionID.generate()
        let (events, _) = await hub.subscribe(session)
        let first = ContinuousClock.now
        for count in 1...50 {
            #expect(await hub.publish(.mail(Self.hint(count, committedAt: count == 1 ? first : .now)), to: session))
        }
        await hub.publish(.toolsChanged, to: session)
        await hub.end(session, reason: "done")

        var received: [SessionEvent] = []
        for await event in events { received.append(event) }

        #expect(received == [.mail(Self.hint(50)), .toolsChanged, .sessionEnded(reason: "done")])
        guard case .mail(let delivered) = received.first else { return }
        #expect(delivered.cursor == "50", "the newest summary")
        #expect(delivered.committedAt == first, "latency is measured from the oldest send it delivers")
    }

    @Test func aHintAfterTheLastWasTakenWakesTheConnectionAgain() async throws {
        let hub = EventHub()
        let session = SessionID.generate()
        let (events, _) = await hub.subscribe(session)
        var iterator = events.makeAsyncIterator()

        await hub.publish(.mail(Self.hint(1, recordedPath: .channel)), to: session)
        let one = await iterator.next()
        await hub.publish(.mail(Self.hint(2)), to: session)
        await hub.publish(.mail(Self.hint(3)), to: session)
        let three = await iterator.next()
        await hub.publish(.mail(Self.hint(4)), to: session)
        let four = await iterator.next()

        #expect(one == .mail(Self.hint(1)))
        #expect(three == .mail(Self.hint(3)))
        #expect(four == .mail(Self.hint(4)))
    }

    @Test func eachConnectionCoalescesOnItsOwn() async throws {
        let hub = EventHub()
        let session = SessionID.generate()
        let (fast, _) = await hub.subscribe(session)
        let (slow, _) = await hub.subscribe(session)
        var fastIterator = fast.makeAsyncIterator()

        await hub.publish(.mail(Self.hint(1)), to: session)
        let fastFirst = await fastIterator.next()
        await hub.publish(.mail(Self.hint(2, recordedPath: .resource)), to: session)
        await hub.publish(.mail(Self.hint(3)), to: session)
        let fastSecond = await fastIterator.next()
        await hub.end(session, reason: "done")

        var slowEvents: [SessionEvent] = []
        for await event in slow { slowEvents.append(event) }
        #expect(fastFirst == .mail(Self.hint(1)))
        #expect(fastSecond == .mail(Self.hint(3)))
        #expect(slowEvents == [.mail(Self.hint(3)), .sessionEnded(reason: "done")])
        guard case .mail(let merged) = slowEvents.first else { return }
        #expect(merged.recordedPath == .resource, "the push record of a replaced hint is kept")
    }
}
