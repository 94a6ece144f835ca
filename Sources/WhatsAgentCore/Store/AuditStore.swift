import Foundation

/// The audit log and retention pruning.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol AuditStore: Sendable {
    /// Appends one entry and returns it with its id.
    func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry

    /// Deletes the entries older than `date` and, when `limit` is given, the oldest ones beyond the newest `limit`;
    /// returns how many.
    func pruneAudit(before date: Date, keepingAtMost limit: Int?) async throws -> Int

    /// Entries matching `filter`, newest first, at most `filter.limit` (1...``AuditFilter/maxLimit``; the API allows
    /// 500 a page, the CSV export more).
    /// - Throws: `invalid_argument` for a limit outside 1...``AuditFilter/maxLimit``.
    func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry]

    /// How many entries match `filter` (its limit is ignored).
    func auditCount(_ filter: AuditFilter) async throws -> Int

    /// Deletes the direct and broadcast messages sent before `cutoff` that are finished — `acknowledged` or
    /// `rejected`. Unacknowledged messages (`queued`, `pushed`, `surfaced`, `held`) are kept whatever their age. Returns how many were deleted.
    func pruneMessages(before cutoff: Date) async throws -> Int

    /// Deletes whole channel threads (root and every reply) whose newest post was sent before `cutoff` and whose
    /// every post has been read by every member of the channel (other than its author). A thread with a recent post
    /// is kept whole, so no reply outlives its root and no live thread loses its start; an unread post keeps its
    /// thread. Returns how many posts were deleted.
    func prunePosts(before cutoff: Date) async throws -> Int
}

extension AuditStore {
    func pruneAudit(before date: Date) async throws -> Int {
        try await self.pruneAudit(before: date, keepingAtMost: nil)
    }
}
