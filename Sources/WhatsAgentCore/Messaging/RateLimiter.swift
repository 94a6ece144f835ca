import Foundation

/// Per-sender send limit over a sliding minute (SPEC §7.5). In memory: a daemon restart starts a new window, which
/// can only be more lenient, never lose a message.
///
/// Synchronous (a lock, not an actor) so a board change can count its notifications inside its own write transaction
/// and roll back whole when the limit refuses it.
public final class RateLimiter: Sendable {
    private let sent = MetricLock<[String: [Date]]>([:])
    private let window: TimeInterval = 60

    public init() {}

    /// Records one send by `sender` in `workspace`, or refuses it when `limit` sends already happened in the last
    /// minute. `.off` admits everything.
    public func admit(workspace: WorkspaceID, sender: String, limit: Limit, now: Date, count: Int = 1) throws {
        guard case .value(let perMinute) = limit else { return }
        let key = "\(workspace.rawValue)|\(sender)"
        try self.sent.withLock { sent in
            var recent = (sent[key] ?? []).filter { now.timeIntervalSince($0) < self.window }
            guard recent.count + count <= perMinute else {
                let retry = recent.first.map { Int((self.window - now.timeIntervalSince($0)).rounded(.up)) } ?? 60
                sent[key] = recent
                throw DomainError(
                    .rateLimited,
                    "\(sender) sent \(recent.count) messages (a board change that notifies counts as one) in the last minute; this workspace allows \(perMinute) per minute — wait \(max(retry, 1)) s, or ask the human to raise it (`whatsagent workspace set --rate-limit N|off`)"
                )
            }
            recent.append(contentsOf: Array(repeating: now, count: count))
            sent[key] = recent
        }
    }
}
