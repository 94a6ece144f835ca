/// What a type's Swift declaration cannot say about its JSON Schema: its description, and per field a description
/// and the bounds the daemon enforces. Declared beside the type's other OpenAPI notes, read by `SchemaRegistry`.
protocol SchemaDocumented {
    static var schemaNotes: SchemaNotes { get }
}

/// The notes of one type.
struct SchemaNotes: Sendable {
    var description: String?
    var fields: [String: FieldNote] = [:]
    /// An enum or a single-value type is inlined where used, unless it is a named component.
    var isComponent = false
    /// The type holds any JSON value (its decoder tries each kind in turn, which the recorder cannot see).
    var isAnyJSON = false

    init(_ description: String? = nil, component: Bool = false, anyJSON: Bool = false, fields: [String: FieldNote] = [:]) {
        self.description = description
        self.isComponent = component
        self.isAnyJSON = anyJSON
        self.fields = fields
    }

    func applied(to schema: [String: Any]) -> [String: Any] {
        guard let description else { return schema }
        return schema.merging(["description": description]) { _, new in new }
    }
}

/// A type with several wire forms that its decoder tries in turn (`42` or `"off"`): its schema is derived by encoding
/// these samples with `WireJSON`, one of each form. A string sample is a constant; a number stands for every number.
protocol SchemaSampled: Encodable {
    static var schemaSamples: [Self] { get }
}

/// The notes of one field: a description, and constraints its type does not carry.
struct FieldNote: ExpressibleByStringLiteral, Sendable {
    /// A constraint on a field's value.
    enum Constraint: Sendable {
        /// One of these strings (a `String` field the daemon checks against a fixed set).
        case oneOf([String])
        case minimum(Int)
        case maximum(Int)
        case minLength(Int)
        case maxLength(Int)
        case format(String)
        /// Any JSON object (a field of free-form JSON).
        case anyObject
        /// A list of exactly this many items.
        case itemCount(Int)
    }

    var description: String?
    var constraints: [Constraint]

    init(_ description: String? = nil, _ constraints: Constraint...) {
        self.description = description
        self.constraints = constraints
    }

    init(stringLiteral description: String) {
        self.init(description)
    }

    /// A count: a whole number, never negative.
    static let count = FieldNote(nil, .minimum(0))

    /// Two agents (`repo:agent`).
    static func pair(_ description: String) -> FieldNote {
        FieldNote(description, .itemCount(2))
    }

    static func oneOf(_ values: [String], _ description: String? = nil) -> FieldNote {
        FieldNote(description, .oneOf(values))
    }

    /// The field's schema with these notes applied; in a list, to its items.
    func applied(to schema: [String: Any]) -> [String: Any] {
        var result = schema
        var target = (schema["type"] as? String == "array" ? schema["items"] as? [String: Any] : nil) ?? schema
        for constraint in self.constraints {
            switch constraint {
            case .oneOf(let values): target["enum"] = values
            case .minimum(let value): target["minimum"] = value
            case .maximum(let value): target["maximum"] = value
            case .minLength(let value): target["minLength"] = value
            case .maxLength(let value): target["maxLength"] = value
            case .format(let format): target["format"] = format
            case .anyObject: target = ["type": "object"]
            case .itemCount: break
            }
        }
        if schema["type"] as? String == "array", schema["items"] != nil { result["items"] = target } else { result = target }
        for case .itemCount(let count) in self.constraints {
            result["minItems"] = count
            result["maxItems"] = count
        }
        if let description = self.description { result["description"] = description }
        return result
    }
}
