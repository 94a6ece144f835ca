import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

@Suite struct WorkspaceEventBusTests {
    let one = WorkspaceID(rawValue: "aaaaaaaaaaaa")
    let two = WorkspaceID(rawValue: "bbbbbbbbbbbb")

    @Test func aFeedOfEveryWorkspaceAndAFeedOfOneSeeTheirEventsInOrder() async {
        let bus = WorkspaceEventBus()
        let all = bus.subscribe()
        let onlyTwo = bus.subscribe(workspace: self.two)

        bus.publish(.agentsChanged, workspace: self.one)
        bus.publish(.board(itemID: "WA-1", kind: .task), workspace: self.two)

        #expect(await all.next() == .event(self.one, .agentsChanged))
        #expect(await all.next() == .event(self.two, .board(itemID: "WA-1", kind: .task)))
        #expect(await onlyTwo.next() == .event(self.two, .board(itemID: "WA-1", kind: .task)))
        bus.unsubscribe(onlyTwo)
        #expect(await onlyTwo.next() == nil)
        #expect(bus.feedCount == 1)
    }

    @Test func aFullFeedDropsItsQueueForOneResyncAndKeepsTheNewest() async {
        let bus = WorkspaceEventBus()
        let feed = bus.subscribe(capacity: 4)

        for index in 0..<10 { bus.publish(.closeApproval(epicID: "EP-\(index)"), workspace: self.one) }
        feed.finish()
        var items: [WorkspaceFeedItem] = []
        while let item = await feed.next() { items.append(item) }

        #expect(items.count <= 4)
        #expect(items.first == .resync)
        #expect(items.last == .event(self.one, .closeApproval(epicID: "EP-9")))
    }

    @Test func aWaitingReaderIsWokenByAPublishAndByClosing() async {
        let bus = WorkspaceEventBus()
        let feed = bus.subscribe()
        // Whether the reader is already waiting or not, the item reaches it exactly once.
        async let first = feed.next()
        bus.publish(.workspacesChanged, workspace: self.one)
        #expect(await first == .event(self.one, .workspacesChanged))

        async let ended = feed.next()
        bus.closeAll()
        #expect(await ended == nil)
        #expect(bus.subscribe().isFinished, "no feed opens after shutdown")
    }

    @Test func cancellingTheReaderEndsItsWait() async {
        let feed = WorkspaceEventBus().subscribe()
        let reader = Task { await feed.next() }
        reader.cancel()
        #expect(await reader.value == nil)
        #expect(feed.isFinished)
    }

    @Test func theHubForwardsWorkspaceEventsAndClosesTheBusWithItself() async {
        let bus = WorkspaceEventBus()
        let hub = EventHub(bus: bus)
        let feed = bus.subscribe()

        await hub.publish(.workspacesChanged, workspace: self.one)
        #expect(await feed.next() == .event(self.one, .workspacesChanged))
        await hub.closeAll()
        #expect(await feed.next() == nil)
    }
}
