import Foundation

/// What the scrape-time gauges need from every open workspace.
public struct WorkspaceMetricsSnapshot: Equatable, Sendable {
    /// Sessions that have not ended, over every open workspace.
    public var liveSessions: Int
    /// Messages waiting for their recipient (queued or pushed), by kind, over every open workspace.
    public var queued: [String: Int]
}

extension WorkspaceService {
    /// Counts over every open workspace database. A workspace whose database cannot be read is left out (the scrape
    /// still answers; the failure shows in that workspace's own requests).
    public func metricsSnapshot() async -> WorkspaceMetricsSnapshot {
        var snapshot = WorkspaceMetricsSnapshot(liveSessions: 0, queued: [:])
        for database in Array(self.databases.values) {
            guard let counts = try? await database.metricCounts() else { continue }
            snapshot.liveSessions += counts.liveSessions
            snapshot.queued.merge(counts.queued, uniquingKeysWith: +)
        }
        return snapshot
    }
}
