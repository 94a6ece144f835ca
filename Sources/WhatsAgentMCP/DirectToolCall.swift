import Foundation
import MCP
import WhatsAgentAPI

/// A `tools/call` request read straight off the wire, so the transport can answer it without the SDK's decoding.
///
/// swift-sdk 0.12.1 decodes every string of a request's arguments into `Value` through `Value.init(from:)`, which
/// runs a RegexBuilder-built `Data.isDataURL` on each one, and its receive loop tries several decodes per message;
/// in the throughput benchmark that was about a quarter of the MCP server's CPU (`docs/benchmarks.md`). A well-formed
/// `tools/call` (an id, a tool name, and an arguments object or none) is read here with `JSONValue`; anything else
/// goes to the SDK as before, which answers malformed requests with its own protocol errors.
struct DirectToolCall: Sendable, Equatable {
    var id: ID
    var name: String
    var arguments: [String: JSONValue]
}

extension DirectToolCall {
    /// The call in `data`, or nil when it is not a well-formed single `tools/call` request.
    init?(_ data: Data) {
        guard data.range(of: Self.marker) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["jsonrpc"] == .string("2.0"),
            message["method"] == .string(CallTool.name),
            let id = Self.id(message["id"]),
            case .object(let params) = message["params"],
            case .string(let name) = params["name"]
        else { return nil }
        switch params["arguments"] {
        case nil, .null?: self.arguments = [:]
        case .object(let arguments)?: self.arguments = arguments
        default: return nil
        }
        self.id = id
        self.name = name
    }

    /// The JSON-RPC response carrying `result`, encoded as the SDK encodes its own.
    func response(_ result: CallTool.Result) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(CallTool.response(id: self.id, result: result))
    }

    private static let marker = Data(#""tools/call""#.utf8)

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
