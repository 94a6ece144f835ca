import WhatsAgentClient

/// How the MCP server reads a failure to talk to the daemon.
enum DaemonFailure {
    /// Nothing listened on the socket, so the request never reached a daemon: any call is safe to repeat.
    static func neverReached(_ error: any Error) -> Bool {
        if case .daemonNotRunning = error as? ClientError { return true }
        return false
    }

    /// The daemon did not answer: nothing listened, or the connection broke before a complete response (a daemon
    /// restart). Whether such a request took effect is unknown.
    static func unreachable(_ error: any Error) -> Bool {
        switch error as? ClientError {
        case .api, .permissionDenied: false
        case .daemonNotRunning, .invalidResponse, nil: true
        }
    }

    /// The daemon refused the session token: the session ended or the token was never valid.
    static func tokenRejected(_ error: any Error) -> Bool {
        if case .api(401, _, _) = error as? ClientError { return true }
        return false
    }
}
