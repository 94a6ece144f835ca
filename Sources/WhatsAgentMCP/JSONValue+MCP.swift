import Foundation
import MCP
import WhatsAgentAPI

extension JSONValue {
    /// The wire value of an MCP `Value`, as the daemon should see it. (Spelled `MCP.Value`: inside this extension a
    /// bare `Value` is `JSONValue`'s own dictionary-literal `Value`.)
    ///
    /// The SDK decodes any string that parses as an RFC 2397 data URL into `.data`; it goes back to the daemon as the
    /// data URL string it was.
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .number(Double(int))
        case .double(let double): self = .number(double)
        case .string(let string): self = .string(string)
        case .data(let mimeType, let data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let array): self = .array(array.map { JSONValue($0) })
        case .object(let object): self = .object(object.mapValues { JSONValue($0) })
        }
    }
}

extension Value {
    /// The MCP value of a wire value: whole numbers within the exact range of a `Double` become `.int`.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .number(let number):
            if number.rounded() == number, abs(number) <= 9_007_199_254_740_992 {
                self = .int(Int(number))
            } else {
                self = .double(number)
            }
        case .string(let string): self = .string(string)
        case .array(let array): self = .array(array.map { Value($0) })
        case .object(let object): self = .object(object.mapValues { Value($0) })
        }
    }
}
