import WhatsAgentAPI
import WhatsAgentCore

extension AgentResponse {
    /// Sets the push fields from the daemon's one derivation (``AgentPushStatus``).
    mutating func apply(_ status: AgentPushStatus) {
        self.pushPath = AgentPushPath(status.path)
        self.pushPathReason = status.reason
        self.lastPushAt = status.lastPushAt
        self.lastPushPath = status.lastPushPath.map(AgentPushPath.init)
        self.lastPushConfirmedAt = status.lastConfirmedAt
        self.pushWarning = status.warning
    }
}

extension AgentPushPath {
    /// The same names on the wire as in the core.
    init(_ path: MessagePushPath) {
        switch path {
        case .channel: self = .channel
        case .plugin: self = .plugin
        case .extension: self = .extension
        case .typed: self = .typed
        case .resource: self = .resource
        case .appServer: self = .appServer
        case .none: self = .none
        }
    }
}
