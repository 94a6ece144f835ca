import WhatsAgentAPI
import WhatsAgentCore

extension DaemonMetrics {
    /// Counts one agent tool call by tool and outcome: `ok`, `denied` (RBAC), `refused` (a rule or bad input: any other
    /// domain error) or `failed` (an error inside the daemon). Names the daemon does not serve count as `unknown`, so
    /// a caller cannot grow the label set.
    func recordToolCall(_ name: String, served: Bool, result: AgentToolResult) {
        let outcome: String
        if !result.isError {
            outcome = "ok"
        } else if case .string(let code) = result.structured?["error"]?["code"] {
            outcome = code == DomainError.Code.rbacDenied.rawValue ? "denied" : "refused"
        } else {
            outcome = served ? "failed" : "refused"
        }
        self.toolCalls.increment([served ? name : "unknown", outcome])
    }
}
