import Foundation
import MCP

/// The MCP process's one `tools/call` path: ``SessionTransport`` hands it every message it reads, and it claims
/// the `tools/call` requests among them, which never reach the SDK.
///
/// A well-formed call is forwarded to the daemon (``ToolCallForwarder``) and its name told to the
/// ``LaunchMailReminder``; a malformed one with an id is refused with an invalid-params error. The SDK server has no
/// `tools/call` handler, so what is not claimed here (a notification, a batch, unreadable JSON) gets the SDK's own
/// protocol error and never runs a tool.
struct ToolCallPath: Sendable {
    let forwarder: ToolCallForwarder
    let reminder: LaunchMailReminder?

    /// The `tools/call` request in `data`, or nil to hand `data` to the SDK. A well-formed call's name is told to the
    /// reminder here, in the order the calls were read, before any of them runs.
    func claim(_ data: Data) async -> DirectToolCall.Reading? {
        let claimed = DirectToolCall.read(data)
        if case .call(let call)? = claimed { await self.reminder?.called(call.name) }
        return claimed
    }

    /// The JSON-RPC response to a claimed request, to be written by the transport (which acknowledges its lease after
    /// the write).
    func answer(_ claimed: DirectToolCall.Reading) async throws -> Data {
        switch claimed {
        case .call(let call):
            return try call.response(await self.forwarder.call(call.name, arguments: call.arguments))
        case .malformed(let id):
            return try DirectToolCall.refusal(id: id)
        }
    }
}
