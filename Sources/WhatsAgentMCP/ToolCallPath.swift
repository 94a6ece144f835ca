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

    /// A claimed request's JSON-RPC response, and the lease its result holds: the transport writes the response and
    /// acknowledges the lease only after the write (SPEC §7.2). The lease travels beside the bytes, never inside
    /// them, so the transport need not parse a result again to find it.
    struct Answer: Sendable, Equatable {
        var response: Data
        var leaseId: String?
    }

    func answer(_ claimed: DirectToolCall.Reading) async throws -> Answer {
        switch claimed {
        case .call(let call):
            let forwarded = await self.forwarder.call(call.name, arguments: call.arguments)
            return Answer(response: try call.response(forwarded.result), leaseId: forwarded.leaseId)
        case .malformed(let id):
            return Answer(response: try DirectToolCall.refusal(id: id), leaseId: nil)
        }
    }
}
