import Foundation

/// What a ``WorkspaceEventFeed`` yields: an event of a workspace, or `resync` when events were dropped because the
/// reader fell behind (the reader refetches everything it shows).
public enum WorkspaceFeedItem: Sendable, Equatable {
    case event(WorkspaceID, WorkspaceEvent)
    case resync
}

/// The daemon-wide fan-out of ``WorkspaceEvent``s to the web UI's event streams (one feed per browser tab).
///
/// Synchronous and lock-based (no actor hop), so any service — even one inside an actor's synchronous method — can
/// publish right after its commit. A feed watches every workspace (the tab switches workspaces and filters itself)
/// or one. Publishing never blocks and never grows memory without bound: each feed buffers at most its capacity.
///
/// ```swift
/// let feed = bus.subscribe()            // every workspace
/// while let item = await feed.next() { … }
/// bus.unsubscribe(feed)
/// ```
public final class WorkspaceEventBus: @unchecked Sendable {
    private let lock = NSLock()
    private var feeds: [ObjectIdentifier: WorkspaceEventFeed] = [:]
    /// Feeds whose reader has not unsubscribed yet (kept past ``closeAll()``, unlike `feeds`).
    private var readers: Set<ObjectIdentifier> = []
    private var closed = false

    public init() {}

    /// A new feed of `workspace`'s events (nil: every workspace's), buffering at most `capacity` items.
    public func subscribe(workspace: WorkspaceID? = nil, capacity: Int = 256) -> WorkspaceEventFeed {
        let feed = WorkspaceEventFeed(workspace: workspace, capacity: capacity)
        let closed = self.lock.withLock {
            if !self.closed {
                self.feeds[ObjectIdentifier(feed)] = feed
                self.readers.insert(ObjectIdentifier(feed))
            }
            return self.closed
        }
        if closed { feed.finish() }
        return feed
    }

    /// Forgets a feed and ends it.
    public func unsubscribe(_ feed: WorkspaceEventFeed) {
        self.lock.withLock {
            self.feeds.removeValue(forKey: ObjectIdentifier(feed))
            self.readers.remove(ObjectIdentifier(feed))
        }
        feed.finish()
    }

    /// Hands `event` to every feed watching `workspace`. Call it after the change is committed.
    public func publish(_ event: WorkspaceEvent, workspace: WorkspaceID) {
        let feeds = self.lock.withLock { Array(self.feeds.values) }
        for feed in feeds where feed.workspace == nil || feed.workspace == workspace {
            feed.push(.event(workspace, event))
        }
    }

    /// Publishes `event` for the workspace `database` belongs to.
    func publish(_ event: WorkspaceEvent, in database: any WorkspaceStore) {
        if let workspace = database.workspaceID { self.publish(event, workspace: workspace) }
    }

    /// How many feeds are open (for tests and metrics).
    public var feedCount: Int { self.lock.withLock { self.feeds.count } }

    /// Ends every feed and refuses new ones (daemon shutdown), so the event streams close and the server can stop.
    public func closeAll() {
        let feeds = self.lock.withLock {
            self.closed = true
            defer { self.feeds = [:] }
            return Array(self.feeds.values)
        }
        for feed in feeds { feed.finish() }
    }

    /// After ``closeAll()``: waits until every reader has unsubscribed — a web event stream does once it has sent its
    /// own close frame (1001, the daemon is stopping) — or `timeout` passed. Shutdown waits on it before the web server
    /// stops, whose own close (1000) would otherwise race the streams' and tell the pages to stay away.
    public func readersFinished(within timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while self.lock.withLock({ !self.readers.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// One reader's bounded queue of ``WorkspaceFeedItem``s. When it is full, the queued items are dropped and a single
/// `resync` takes their place (followed by the new item), so a slow reader costs at most `capacity` items.
public final class WorkspaceEventFeed: @unchecked Sendable {
    /// The workspace watched, nil for all.
    public let workspace: WorkspaceID?
    public let capacity: Int
    private let lock = NSLock()
    private var buffer: [WorkspaceFeedItem] = []
    private var waiter: CheckedContinuation<WorkspaceFeedItem?, Never>?
    private var finished = false

    init(workspace: WorkspaceID?, capacity: Int) {
        self.workspace = workspace
        self.capacity = max(2, capacity)
    }

    func push(_ item: WorkspaceFeedItem) {
        let waiter: CheckedContinuation<WorkspaceFeedItem?, Never>? = self.lock.withLock {
            guard !self.finished else { return nil }
            if let waiter = self.waiter {
                self.waiter = nil
                return waiter
            }
            if self.buffer.count >= self.capacity {
                self.buffer = [.resync]
            }
            self.buffer.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// Ends the feed: ``next()`` returns what is queued, then nil.
    public func finish() {
        let waiter: CheckedContinuation<WorkspaceFeedItem?, Never>? = self.lock.withLock {
            self.finished = true
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Whether ``finish()`` was called (by the reader, the bus or shutdown).
    public var isFinished: Bool { self.lock.withLock { self.finished } }

    /// The next item, waiting for one; nil once the feed is finished (or the task is cancelled) and drained.
    public func next() async -> WorkspaceFeedItem? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WorkspaceFeedItem?, Never>) in
                let ready: WorkspaceFeedItem?? = self.lock.withLock {
                    if !self.buffer.isEmpty { return .some(self.buffer.removeFirst()) }
                    if self.finished || Task.isCancelled { return .some(nil) }
                    self.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.finish()
        }
    }
}
