import Foundation

@testable import WhatsAgentServer

/// A small JSON-schema check of a response against the OpenAPI document's schema for that operation, in-process:
/// `$ref`, `type` (one or several), `enum`, `required`, `properties` with `additionalProperties: false`, `items`,
/// `minimum`. Enough to keep the document exact for the shapes the API returns (the e2e tests run a full validator).
struct OpenAPISchemaCheck {
    let document: [String: Any]
    let schemas: [String: Any]

    init() throws {
        let data = try OpenAPIDocument.data(version: "1")
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        else { throw Failure(problems: ["the OpenAPI document has no components/schemas"]) }
        self.document = document
        self.schemas = schemas
    }

    struct Failure: Error, CustomStringConvertible {
        var problems: [String]
        var description: String { self.problems.joined(separator: "\n") }
    }

    /// The problems of `body` against the JSON response schema of `method path status` (empty: it matches).
    func problems(_ body: Data, _ method: String, _ path: String, _ status: Int) throws -> [String] {
        guard let paths = self.document["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
            let operation = item[method.lowercased()] as? [String: Any],
            let responses = operation["responses"] as? [String: Any], let response = responses[String(status)] as? [String: Any],
            let content = response["content"] as? [String: Any], let json = content["application/json"] as? [String: Any],
            let schema = json["schema"] as? [String: Any]
        else { return ["the document has no JSON response \(status) for \(method) \(path)"] }
        let instance = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        return self.check(instance, schema, at: "")
    }

    /// The problems of `instance` against the component schema `name`.
    func problems(_ body: Data, component name: String) throws -> [String] {
        let instance = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        return self.check(instance, ["$ref": "#/components/schemas/\(name)"], at: "")
    }

    private func check(_ instance: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            guard let target = self.schemas[name] as? [String: Any] else { return ["\(path): unresolved $ref \(reference)"] }
            return self.check(instance, target, at: path)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { self.check(instance, $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of the oneOf options"]
        }
        var problems: [String] = []
        if let types = Self.types(schema), !types.contains(where: { Self.has(instance, type: $0) }) {
            return ["\(path): \(instance) is not of type \(types.joined(separator: "|"))"]
        }
        if let values = schema["enum"] as? [String], let text = instance as? String, !values.contains(text) {
            problems.append("\(path): '\(text)' is not one of \(values)")
        }
        if let minimum = schema["minimum"] as? Double, let number = instance as? NSNumber, number.doubleValue < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if let object = instance as? [String: Any], schema["properties"] != nil || schema["required"] != nil {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path)/\(name): required but missing")
            }
            for (name, value) in object {
                if let property = properties[name] as? [String: Any] {
                    problems += self.check(value, property, at: "\(path)/\(name)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    problems.append("\(path)/\(name): not in the schema")
                }
            }
        }
        if let array = instance as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { problems += self.check(element, items, at: "\(path)/\(index)") }
        }
        return problems
    }

    private static func types(_ schema: [String: Any]) -> [String]? {
        if let type = schema["type"] as? String { return [type] }
        return schema["type"] as? [String]
    }

    private static func has(_ instance: Any, type: String) -> Bool {
        // JSONSerialization gives NSNumber for booleans too; their Objective-C type is `c` (char).
        let isBoolean = (instance as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
        switch type {
        case "object": return instance is [String: Any]
        case "array": return instance is [Any]
        case "string": return instance is String
        case "boolean": return isBoolean
        case "integer":
            guard let number = instance as? NSNumber, !isBoolean else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number": return instance is NSNumber && !isBoolean
        case "null": return instance is NSNull
        default: return false
        }
    }
}
