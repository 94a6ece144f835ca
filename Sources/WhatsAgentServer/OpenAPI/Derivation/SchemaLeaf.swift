import Foundation

/// The JSON Schemas of the types the wire writes as one JSON value, with a value of each for the recorder to answer.
enum SchemaLeaf {
    private static var leaves: [ObjectIdentifier: (schema: [String: Any], value: Any)] {
        [
            ObjectIdentifier(String.self): (["type": "string"], ""),
            ObjectIdentifier(Bool.self): (["type": "boolean"], false),
            ObjectIdentifier(Int.self): (["type": "integer"], 0),
            ObjectIdentifier(Int8.self): (["type": "integer"], Int8(0)),
            ObjectIdentifier(Int16.self): (["type": "integer"], Int16(0)),
            ObjectIdentifier(Int32.self): (["type": "integer", "format": "int32"], Int32(0)),
            ObjectIdentifier(Int64.self): (["type": "integer", "format": "int64"], Int64(0)),
            ObjectIdentifier(UInt.self): (["type": "integer", "minimum": 0], UInt(0)),
            ObjectIdentifier(UInt8.self): (["type": "integer", "minimum": 0], UInt8(0)),
            ObjectIdentifier(UInt16.self): (["type": "integer", "minimum": 0], UInt16(0)),
            ObjectIdentifier(UInt32.self): (["type": "integer", "minimum": 0], UInt32(0)),
            ObjectIdentifier(UInt64.self): (["type": "integer", "minimum": 0], UInt64(0)),
            ObjectIdentifier(Double.self): (["type": "number"], 0.0),
            ObjectIdentifier(Float.self): (["type": "number"], Float(0)),
            // RFC 3339 with milliseconds, in UTC (`2026-11-21T09:26:40.123Z`): `WireJSON`'s date strategy.
            ObjectIdentifier(Date.self): (["type": "string", "format": "date-time"], Date(timeIntervalSince1970: 0)),
            ObjectIdentifier(UUID.self): (["type": "string", "format": "uuid"], UUID()),
        ]
    }

    /// The schema of `type` and a value of it, when the wire writes it as one JSON value.
    static func schema<T>(_ type: T.Type) -> (schema: [String: Any], value: T)? {
        guard let leaf = self.leaves[ObjectIdentifier(type)], let value = leaf.value as? T else { return nil }
        return (leaf.schema, value)
    }

    /// `schema`, or JSON `null`.
    static func nullable(_ schema: [String: Any]) -> [String: Any] {
        if let type = schema["type"] as? String, schema["$ref"] == nil {
            return schema.merging(["type": [type, "null"]]) { _, new in new }
        }
        return ["oneOf": [schema, ["type": "null"]]]
    }
}
