import Foundation

/// The JSON Schemas of `Decodable` types, derived by decoding each with a `SchemaRecorder`: a struct becomes a
/// component (`#/components/schemas/<TypeName>`) referenced by name, a `CaseIterable` enum an `enum` of its raw
/// values, an array its `items`, a `[String: V]` its `additionalProperties`. What the Swift declaration cannot say
/// (descriptions, formats, bounds) comes from the type's `SchemaDocumented` notes.
final class SchemaRegistry {
    /// A type whose schema cannot be derived, and why.
    struct Underivable: Error, CustomStringConvertible {
        var path: [any CodingKey]
        var reason: String
        var description: String {
            let at = self.path.map(\.stringValue).joined(separator: ".")
            return at.isEmpty ? self.reason : "\(at): \(self.reason)"
        }
    }

    /// The derived component schemas, by name.
    private(set) var components: [String: [String: Any]] = [:]
    private var componentTypes: [String: ObjectIdentifier] = [:]
    /// A made-up value of each type recorded so far: recording a type again returns it.
    private var values: [ObjectIdentifier: (schema: [String: Any], value: Any)] = [:]
    private var inProgress: Set<ObjectIdentifier> = []

    /// The schema of `type` where an operation uses it: a `$ref` for a component, else the schema inline.
    func schema(_ type: any Decodable.Type) throws -> [String: Any] {
        try self.record(type, at: []).schema
    }

    /// The schema of `type` and a value of it, to hand back to the type that asked.
    func record<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws -> (schema: [String: Any], value: T) {
        let id = ObjectIdentifier(type)
        if let known = self.values[id], let value = known.value as? T { return (known.schema, value) }
        if let (schema, value) = SchemaLeaf.schema(type) { return (schema, value) }
        guard self.inProgress.insert(id).inserted else {
            throw Underivable(path: path, reason: "\(type) contains itself; a recursive type needs notes")
        }
        defer { self.inProgress.remove(id) }
        let (schema, value) = try self.derive(type, at: path)
        self.values[id] = (schema, value)
        return (schema, value)
    }

    private func derive<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws -> (schema: [String: Any], value: T) {
        let notes = (type as? any SchemaDocumented.Type)?.schemaNotes ?? SchemaNotes()
        let inline = !notes.isComponent || Self.isNested(type)
        if let sampled = type as? any SchemaSampled.Type {
            let (schema, first) = try SchemaSamples.schema(sampled)
            guard let value = first as? T else { throw Underivable(path: path, reason: "\(type) has no samples") }
            return (try self.named(type, notes.applied(to: schema), inline: inline), value)
        }
        if notes.isAnyJSON, let value = try? T(from: SchemaRecorder(registry: self, codingPath: path)) {
            return (try self.named(type, notes.applied(to: [:]), inline: inline), value)
        }
        if let enumeration = type as? any (CaseIterable & RawRepresentable).Type {
            let (values, first) = Self.cases(enumeration)
            guard let value = first as? T else { throw Underivable(path: path, reason: "\(type) has no cases") }
            let isString = values.allSatisfy { $0 is String }
            let schema = notes.applied(to: ["type": isString ? "string" : "integer", "enum": values])
            return (try self.named(type, schema, inline: inline), value)
        }
        let recorder = SchemaRecorder(registry: self, codingPath: path)
        let value: T
        do {
            value = try T(from: recorder)
        } catch let error as Underivable {
            throw error
        } catch {
            throw Underivable(path: path, reason: "\(type) refused the recorder's values: \(error)")
        }
        switch recorder.shape {
        case .nothing:
            throw Underivable(path: path, reason: "\(type) read nothing from its decoder")
        case .list(let items):
            return (notes.applied(to: ["type": "array", "items": items]), value)
        case .single(let schema):
            return (try self.named(type, notes.applied(to: schema), inline: inline), value)
        case .object(let record):
            if let additional = record.additional {
                return (notes.applied(to: ["type": "object", "additionalProperties": additional]), value)
            }
            return (try self.named(type, notes.applied(to: Self.object(record, notes)), inline: Self.isNested(type)), value)
        }
    }

    /// Registers `schema` as the component named after `type` and answers a `$ref` to it (or the schema, inline).
    private func named(_ type: Any.Type, _ schema: [String: Any], inline: Bool) throws -> [String: Any] {
        if inline { return schema }
        let name = String(describing: type)
        if let other = self.componentTypes[name], other != ObjectIdentifier(type) {
            throw Underivable(path: [], reason: "two types are named \(name)")
        }
        self.componentTypes[name] = ObjectIdentifier(type)
        self.components[name] = schema
        return ["$ref": "#/components/schemas/\(name)"]
    }

    /// A closed object: the keys read without `decodeIfPresent`/`contains` are required.
    private static func object(_ record: SchemaRecorder.ObjectRecord, _ notes: SchemaNotes) -> [String: Any] {
        var properties: [String: Any] = [:]
        for key in record.order {
            var property = record.schemas[key] ?? [:]
            if record.nullable.contains(key) { property = SchemaLeaf.nullable(property) }
            properties[key] = notes.fields[key].map { $0.applied(to: property) } ?? property
        }
        var schema: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        let required = record.order.filter { !record.optional.contains($0) }
        if !required.isEmpty { schema["required"] = required.sorted() }
        return schema
    }

    /// A type declared inside another (`APIErrorBody.Detail`) is inlined where used.
    private static func isNested(_ type: Any.Type) -> Bool {
        String(reflecting: type).split(separator: ".").count > 2
    }

    private static func cases<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> (values: [Any], first: Any?) {
        (type.allCases.map(\.rawValue), type.allCases.first)
    }
}
