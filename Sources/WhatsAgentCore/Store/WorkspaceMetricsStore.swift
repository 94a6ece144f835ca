import Foundation

/// Counts for the metrics endpoint.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol WorkspaceMetricsStore: Sendable {
    /// Live sessions and waiting messages by kind, for the scrape-time gauges. One read.
    func metricCounts() async throws -> (liveSessions: Int, queued: [String: Int])
}
