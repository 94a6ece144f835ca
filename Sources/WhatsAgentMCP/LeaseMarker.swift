import MCP
import WhatsAgentAPI

/// How a tool result tells ``SessionTransport`` that it leases messages.
///
/// The tool handler cannot know when its result reaches the client, and SPEC §7.2 acknowledges a lease only once
/// the result is written. So the handler puts the lease id in the result's `_meta` under ``key``; the transport
/// finds it, removes it from the JSON, writes the message, and only then acknowledges. The client never sees it.
/// `_meta` is ours alone: the daemon's structured content goes to `structuredContent`, so a result cannot forge it.
enum LeaseMarker {
    static let key = "whatsagent/leaseId"

    static func meta(leaseId: String) -> Metadata {
        Metadata(additionalFields: [Self.key: .string(leaseId)])
    }
}

extension LeaseMarker {
    /// Removes the lease id from a written result's `_meta`, dropping `_meta` when nothing else is left in it.
    static func take(from result: inout [String: JSONValue]) -> String? {
        guard case .object(var meta) = result["_meta"], case .string(let leaseId) = meta.removeValue(forKey: Self.key) else {
            return nil
        }
        result["_meta"] = meta.isEmpty ? nil : .object(meta)
        return leaseId
    }
}
