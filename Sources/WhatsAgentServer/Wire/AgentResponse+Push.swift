import WhatsAgentAPI
import WhatsAgentCore

extension AgentResponse {
    /// Sets the push fields from the daemon's one derivation (``AgentPushStatus``).
    mutating func apply(_ status: AgentPushStatus) {
        self.pushPath = status.path
        self.pushPathReason = status.reason
        self.lastPushAt = status.lastPushAt
        self.lastPushPath = status.lastPushPath
        self.lastPushConfirmedAt = status.lastConfirmedAt
        self.pushWarning = status.warning
    }
}
