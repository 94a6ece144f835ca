import Foundation

/// The registry's workspace rows, kept in memory between the writes that change them.
///
/// Every request resolves its workspace (an agent's token names it), several times per delivered message; reading
/// and decoding every row of `daemon.sqlite` each time was a measurable share of the daemon's CPU per message. The
/// registry's change feed (`StoreChange.workspaces`, delivered after each write of a workspace row — on PostgreSQL also
/// one another daemon committed) is the one path that drops the rows, besides the writing store's own commit.
/// A generation counter keeps a read that raced a write from storing what it read before the commit.
/// `@unchecked Sendable`: `rows` and `generation` are guarded by `lock`.
package final class WorkspaceRowCache: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [Workspace]?
    private var generation = 0

    package init() {}

    /// The cached rows, or the generation a read that fills the cache must still see when it stores.
    package func lookup() -> (rows: [Workspace]?, generation: Int) {
        self.lock.withLock { (self.rows, self.generation) }
    }

    /// Keeps `rows` unless a write invalidated the cache since `generation` was read.
    package func store(_ rows: [Workspace], readAt generation: Int) {
        self.lock.withLock {
            if self.generation == generation { self.rows = rows }
        }
    }

    /// Drops the rows; called by the change feed after every write of a workspace row.
    package func invalidate() {
        self.lock.withLock {
            self.generation += 1
            self.rows = nil
        }
    }
}
