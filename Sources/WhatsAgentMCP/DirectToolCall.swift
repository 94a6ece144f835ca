import Foundation
import MCP
import WhatsAgentAPI

/// A `tools/call` request read straight off the wire, so ``ToolCallPath`` can answer it without the SDK's decoding.
///
/// swift-sdk 0.12.1 decodes every string of a request's arguments into `Value` through `Value.init(from:)`, which
/// runs a RegexBuilder-built `Data.isDataURL` on each one, and its receive loop tries several decodes per message;
/// in the throughput benchmark that was about a quarter of the MCP server's CPU (`docs/benchmarks.md`). A well-formed
/// `tools/call` (an id, a tool name, and an arguments object or none) is read here with `JSONValue`; a `tools/call`
/// request with an id but malformed params is recognised too, and refused with an invalid-params error.
struct DirectToolCall: Sendable, Equatable {
    var id: ID
    var name: String
    var arguments: [String: JSONValue]
}

extension DirectToolCall {
    /// What a message is, as far as `tools/call` goes.
    enum Reading: Sendable, Equatable {
        /// A well-formed call.
        case call(DirectToolCall)
        /// A `tools/call` request with a usable id whose params are not a tool name and an arguments object.
        case malformed(id: ID)
    }

    /// The call in `data`, or nil when it is not a well-formed single `tools/call` request.
    init?(_ data: Data) {
        guard case .call(let call)? = Self.read(data) else { return nil }
        self = call
    }

    /// What `data` holds, or nil when it is not a single JSON-RPC `tools/call` request with an id the SDK's `ID`
    /// holds (a notification, a batch, unreadable JSON: those stay the SDK's to answer).
    static func read(_ data: Data) -> Reading? {
        guard data.range(of: Self.marker) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["jsonrpc"] == .string("2.0"),
            message["method"] == .string(CallTool.name),
            let id = Self.id(message["id"])
        else { return nil }
        guard case .object(let params) = message["params"], case .string(let name) = params["name"] else {
            return .malformed(id: id)
        }
        switch params["arguments"] {
        case nil, .null?: return .call(DirectToolCall(id: id, name: name, arguments: [:]))
        case .object(let arguments)?: return .call(DirectToolCall(id: id, name: name, arguments: arguments))
        default: return .malformed(id: id)
        }
    }

    /// The JSON-RPC error answering a malformed `tools/call`, encoded as the SDK encodes its own.
    static func refusal(id: ID) throws -> Data {
        let error = MCPError.invalidParams(
            "tools/call needs params.name, a tool listed by tools/list, and params.arguments as a JSON object (or none)"
        )
        return try Self.encoder.encode(CallTool.response(id: id, error: error))
    }

    /// The JSON-RPC response carrying `result`, encoded as the SDK encodes its own.
    func response(_ result: CallTool.Result) throws -> Data {
        try Self.encoder.encode(CallTool.response(id: self.id, result: result))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Not `"tools/call"`: an encoder may escape the slash (`tools\/call`), as Foundation's does.
    private static let marker = Data(#"call""#.utf8)

    /// A string id, or a whole-number id the SDK's `ID.number(Int)` holds exactly.
    private static func id(_ value: JSONValue?) -> ID? {
        switch value {
        case .string(let string)?:
            return .string(string)
        case .number(let number)? where number.rounded() == number && abs(number) <= 9_007_199_254_740_992:
            return .number(Int(number))
        default:
            return nil
        }
    }
}
