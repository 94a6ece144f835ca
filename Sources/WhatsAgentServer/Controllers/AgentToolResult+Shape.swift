import WhatsAgentAPI

// The one shape of every tool result (SPEC §8, `AgentToolResultSchemas`): real clients show the model the structured
// content, so it carries the text block verbatim under `text` next to the typed fields.
extension AgentToolResult {
    /// A success: `text` for the text block, and `{ "text": text, …fields }` as structured content. Fields holding
    /// agent-written text must already be fenced with the fence the text uses.
    static func shaped(_ text: String, _ fields: [String: JSONValue], leaseId: String? = nil) -> AgentToolResult {
        var structured = fields
        structured["text"] = .string(text)
        return AgentToolResult(text: text, structured: .object(structured), leaseId: leaseId)
    }

    /// A refusal or failure: `isError`, the reason as text, and `{ "text": reason, "error": { "code": code } }`.
    static func refusal(_ text: String, code: String) -> AgentToolResult {
        AgentToolResult(text: text, structured: ["text": .string(text), "error": ["code": .string(code)]], isError: true)
    }
}
