import Foundation
import WhatsAgentAPI

/// A message's delivery state with the time of each step (SPEC §7.2), for `msg thread` and `msg inbox`:
/// "state: acknowledged — queued 2026-12-07 14:05:09 CET, pushed … (channel), surfaced …, acknowledged …".
enum MessageStateText {
    /// The line, or nil for a rejected message (its header already says why).
    static func line(_ message: MessageResponse, timeZone: TimeZone = .current) -> String? {
        guard message.state != MessageDeliveryState.rejected.rawValue else { return nil }
        var steps = ["queued \(TimeText.local(message.sentAt, timeZone: timeZone))"]
        if let pushedAt = message.pushedAt {
            steps.append("pushed \(TimeText.local(pushedAt, timeZone: timeZone))" + (message.pushPath.map { " (\($0))" } ?? ""))
        }
        if let surfacedAt = message.surfacedAt { steps.append("surfaced \(TimeText.local(surfacedAt, timeZone: timeZone))") }
        if let acknowledgedAt = message.acknowledgedAt {
            steps.append("acknowledged \(TimeText.local(acknowledgedAt, timeZone: timeZone))")
        }
        return "state: \(message.state) — \(steps.joined(separator: ", "))"
    }
}
