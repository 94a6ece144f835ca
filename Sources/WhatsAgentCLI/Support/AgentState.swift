import WhatsAgentAPI

/// An agent's state in one phrase, for `agent list` and `agent show`: running / online / waiting for you / exited
/// with code N / never started.
enum AgentState {
    static func describe(_ agent: AgentResponse) -> String {
        guard let session = agent.session else { return "never started" }
        if session.endedAt != nil {
            if let code = session.exitCode { return "exited with code \(code)" }
            if let signal = session.exitSignal { return "ended by signal \(signal)" }
            return "ended"
        }
        if session.attention != nil { return "waiting for you" }
        if session.online { return "online" }
        if session.kind == "managed" { return session.runnerAlive == false ? "runner gone" : "running" }
        return "connected, not listening"
    }

    /// Why a live session that is not online is so, for `agent show`.
    static func offlineReason(_ session: AgentSessionResponse) -> String {
        if session.kind == "managed" {
            guard session.runnerAlive != false else { return "its runner is gone; `whatsagent agent launch` starts it again" }
            return "running, but its MCP server is not connected (the program has not started `whatsagent mcp` yet, or does not "
                + "use it): mail waits for it"
        }
        return "the session is open but its MCP server holds no event stream: mail waits until it calls check_messages"
    }
}
