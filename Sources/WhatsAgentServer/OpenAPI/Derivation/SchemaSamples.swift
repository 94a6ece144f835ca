import Foundation
import WhatsAgentAPI

/// The schema of a `SchemaSampled` type: its samples encoded with `WireJSON`, as `oneOf` their forms.
enum SchemaSamples {
    /// The schema, and the first sample for the recorder to hand back.
    static func schema<S: SchemaSampled>(_ type: S.Type) throws -> (schema: [String: Any], first: Any?) {
        var options: [[String: Any]] = []
        var constants: [String] = []
        for sample in type.schemaSamples {
            let json = try JSONSerialization.jsonObject(with: WireJSON.encoder().encode(sample), options: [.fragmentsAllowed])
            if let text = json as? String {
                if constants.isEmpty { options.append([:]) }
                constants.append(text)
            } else if let number = json as? NSNumber {
                options.append(["type": number.stringValue.contains(".") ? "number" : "integer"])
            } else {
                throw SchemaRegistry.Underivable(path: [], reason: "\(type): a sample is neither a string nor a number")
            }
        }
        let schemas = options.map { $0.isEmpty ? ["type": "string", "enum": constants] : $0 }
        return (schemas.count == 1 ? schemas[0] : ["oneOf": schemas], type.schemaSamples.first)
    }
}
