import ArgumentParser
import WhatsAgentAPI

/// The PTY nudge switch of `agent add` / `agent set` (`--nudge on|off`) and how `agent show` describes it.
extension AgentCommand {
    static let nudgeHelp: ArgumentHelp =
        "Type PTY nudges into a Codex or custom agent's terminal: on or off (off: mail only flags a pending nudge; --push off turns every push off)."

    /// The `nudge:` line of `agent show`: what mail for this agent does to its terminal.
    static func describeNudge(_ agent: AgentResponse) -> String {
        let state = agent.nudgeEnabled ? "on" : "off"
        guard agent.runtime == .codex || agent.runtime == .custom else {
            return "\(state) (not used: \(agent.runtime.rawValue) receives pushes without typing)"
        }
        guard agent.pushEnabled else { return "\(state) (pushes are off: nothing is typed)" }
        return agent.nudgeEnabled ? "on" : "off (mail only flags a pending nudge; insert it from the terminal view)"
    }
}
