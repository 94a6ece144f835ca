import Foundation
import WhatsAgentAPI

/// A small JSON Schema check of a tool result's structured content against the tool's `outputSchema`: `type`,
/// `properties`, `required`, `additionalProperties: false`, `items`, `anyOf`, `pattern` (the keywords
/// `AgentToolResultSchemas` uses). The e2e suite runs the official MCP SDK's full validator on the same results.
enum OutputSchemaCheck {
    /// The problems of `instance` against `schema` (empty: it matches).
    static func problems(_ instance: JSONValue, _ schema: JSONValue, at path: String = "") -> [String] {
        guard case .object(let keywords) = schema else { return ["\(path): the schema is not an object"] }
        if case .array(let options)? = keywords["anyOf"], !options.contains(where: { problems(instance, $0, at: path).isEmpty }) {
            return ["\(path): matches none of the anyOf options"]
        }
        if let type = keywords["type"], !self.has(instance, type: type) {
            return ["\(path): \(instance) is not of type \(type)"]
        }
        var found: [String] = []
        if case .string(let pattern)? = keywords["pattern"], case .string(let text) = instance {
            let regex = try? NSRegularExpression(pattern: pattern)
            if regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                found.append("\(path): \(text.debugDescription) does not match \(pattern)")
            }
        }
        if case .object(let object) = instance {
            let properties = keywords["properties"].flatMap { value -> [String: JSONValue]? in
                if case .object(let properties) = value { return properties }
                return nil
            }
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where object[name] == nil { found.append("\(path)/\(name): required but missing") }
            }
            for (name, value) in object {
                if let property = properties?[name] {
                    found += self.problems(value, property, at: "\(path)/\(name)")
                } else if keywords["additionalProperties"] == .bool(false) {
                    found.append("\(path)/\(name): not in the schema")
                }
            }
        }
        if case .array(let items) = instance, let schema = keywords["items"] {
            for (index, item) in items.enumerated() { found += self.problems(item, schema, at: "\(path)/\(index)") }
        }
        return found
    }

    private static func has(_ instance: JSONValue, type: JSONValue) -> Bool {
        switch (type, instance) {
        case (.array(let types), _): return types.contains { self.has(instance, type: $0) }
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let number)): return number.rounded() == number
        default: return false
        }
    }
}
