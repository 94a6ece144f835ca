import ArgumentParser
import Foundation
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

extension AgentCommand {
    /// The PUSH column of `agent list`: the path, marked while pushes go unconfirmed (`agent show` says more).
    static func pushColumn(_ agent: AgentResponse) -> String {
        agent.pushPath.rawValue + (agent.pushWarning == nil ? "" : " (unconfirmed)")
    }

    /// The push lines of `agent show`: the path the daemon decided (and why, for a fallback), when a push last went out
    /// and was last confirmed, and the warning while pushes go unconfirmed.
    static func describePush(_ agent: AgentResponse, timeZone: TimeZone = .current) -> [String] {
        let reason = agent.pushPathReason.map { " (\(Terminal.safe($0)))" } ?? ""
        var lines = ["push path: \(agent.pushPath.rawValue)\(reason) — \(agent.pushPath.explanation)"]
        if let at = agent.lastPushAt {
            let path = agent.lastPushPath.map { " (\($0.rawValue))" } ?? ""
            lines.append("last push: \(TimeText.local(at, timeZone: timeZone))\(path)")
            lines.append("confirmed: \(agent.lastPushConfirmedAt.map { TimeText.local($0, timeZone: timeZone) } ?? "never")")
        }
        if let warning = agent.pushWarning { lines.append("warning:  \(Terminal.safe(warning))") }
        return lines
    }
}
