import Foundation
import Logging
import MCP
import WhatsAgentAPI
import WhatsAgentClient

/// `tools/call`: forwards one call to the daemon, which re-checks and runs it, and turns the answer into an MCP
/// result. Every failure is a tool result with `isError` the model can read, never a protocol error (SPEC §8).
struct ToolCallForwarder: Sendable {
    let backend: any AgentBackend
    /// Waits between attempts while the daemon cannot be reached (a restart takes a moment).
    let retryDelays: [Duration]
    /// A fresh `clientMessageId` for `send_message` calls that bring none.
    let makeMessageID: @Sendable () -> String
    let logger: Logger

    /// Runs one call with its arguments as read off the wire by ``ToolCallPath`` (``DirectToolCall`` reads
    /// `tools/call` requests without the SDK's `Value` decoding). Returns the MCP result and the lease it holds, which
    /// is acknowledged once the result is written.
    func call(_ name: String, arguments object: [String: JSONValue]) async -> (result: CallTool.Result, leaseId: String?) {
        let arguments = self.arguments(for: name, object)
        var delays = self.retryDelays[...]
        while true {
            do {
                let result = try await self.backend.call(name, arguments: arguments)
                return (Self.result(result), result.leaseId)
            } catch {
                if Self.mayRepeat(name, after: error), let delay = delays.popFirst(), (try? await Task.sleep(for: delay)) != nil {
                    self.logger.debug("retrying a tool call", metadata: ["tool.name": "\(name)", "error": "\(error)"])
                    continue
                }
                self.logger.notice("tool call failed", metadata: ["tool.name": "\(name)", "error": "\(error)"])
                return (Self.failure(error, tool: name, arguments: arguments), nil)
            }
        }
    }

    /// The arguments object for the daemon. `send_message` always carries a `clientMessageId`, so repeating it
    /// (here, after a daemon restart, or by the model with the id we report) never sends it twice (SPEC §7.2).
    func arguments(for name: String, _ arguments: [String: JSONValue]) -> JSONValue {
        var object = arguments
        if name == "send_message" {
            switch object["clientMessageId"] {
            case .string(let id) where !id.isEmpty: break
            default: object["clientMessageId"] = .string(self.makeMessageID())
            }
        }
        return .object(object)
    }

    /// A call that never reached a daemon is safe to repeat; one that may have reached it only when it carries its
    /// own idempotency key.
    static func mayRepeat(_ tool: String, after error: any Error) -> Bool {
        DaemonFailure.neverReached(error) || (tool == "send_message" && DaemonFailure.unreachable(error))
    }

    /// Real clients give the model the structured content, not the text (SPEC §8): it always carries the text block
    /// under `text` (the daemon puts it there; a result without structured content gets `{"text": …}`).
    static func result(_ result: AgentToolResult) -> CallTool.Result {
        CallTool.Result(
            content: [.text(text: result.text, annotations: nil, _meta: nil)],
            structuredContent: Self.structuredContent(result.structured, text: result.text),
            isError: result.isError
        )
    }

    /// MCP wants structured content to be an object; anything else is wrapped as `{"result": …}`.
    static func structuredContent(_ value: JSONValue?, text: String) -> Value? {
        var object: [String: Value]
        switch value {
        case .object(let fields)?: object = fields.mapValues { Value($0) }
        case nil, .null?: object = [:]
        case let other?: object = ["result": Value(other)]
        }
        if object["text"] == nil { object["text"] = .string(text) }
        return .object(object)
    }

    /// A call that failed before the daemon answered: the reason as text, and as `{"text", "error": {"code"}}`.
    static func failureResult(_ text: String, code: String) -> CallTool.Result {
        CallTool.Result(
            content: [.text(text: text, annotations: nil, _meta: nil)],
            structuredContent: Value?.some(.object(["text": .string(text), "error": .object(["code": .string(code)])])),
            isError: true
        )
    }

    static func failure(_ error: any Error, tool: String, arguments: JSONValue) -> CallTool.Result {
        var text: String
        let code: String
        if DaemonFailure.tokenRejected(error) {
            text =
                "WhatsAgent refused this session's token (the session has ended), so \(tool) did not run. "
                + "Tell the human; they can reconnect this agent."
            code = "invalid_session_token"
        } else if case .api(_, let apiCode, let message) = error as? ClientError {
            text = "\(tool) failed: \(message) (\(apiCode))"
            code = apiCode
        } else if DaemonFailure.neverReached(error) {
            text = "The WhatsAgent daemon is unreachable (it is not running or is restarting), so \(tool) did not run. Try again in a moment."
            code = "daemon_unreachable"
        } else if DaemonFailure.unreachable(error) {
            text = "The WhatsAgent daemon is unreachable (the connection broke: \(error)); \(tool) may or may not have run."
            if case .string(let id) = arguments["clientMessageId"] {
                text += " Repeat it with clientMessageId \"\(id)\" and it cannot be sent twice."
            }
            code = "daemon_unreachable"
        } else {
            text = "\(tool) failed: \(error)"
            code = "internal_error"
        }
        return Self.failureResult(text, code: code)
    }
}
