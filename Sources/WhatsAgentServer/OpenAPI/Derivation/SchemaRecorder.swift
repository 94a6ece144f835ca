import Foundation

/// A `Decoder` that decodes nothing: it records what a `Decodable` type asks for — the keys it reads (required,
/// optional or nullable), the elements of a list, a single value — and answers each request with a value made up by
/// the `SchemaRegistry`, which turns the record into a JSON Schema.
final class SchemaRecorder: Decoder {
    /// What the type asked for.
    enum Shape {
        case nothing
        case object(ObjectRecord)
        case list(items: [String: Any])
        case single(schema: [String: Any])
    }

    /// The keys of an object, in the order they were read, and how each was read.
    final class ObjectRecord {
        var order: [String] = []
        var schemas: [String: [String: Any]] = [:]
        /// Keys read with `decodeIfPresent` or looked for with `contains`: the object may lack them.
        var optional: Set<String> = []
        /// Keys checked with `decodeNil`: the object may hold `null` there.
        var nullable: Set<String> = []
        /// The schema of the values of a dictionary (a type that iterated `allKeys`).
        var additional: [String: Any]?

        func note(_ key: String) {
            if self.schemas[key] == nil, !self.order.contains(key) { self.order.append(key) }
        }
    }

    /// The key a dictionary's `allKeys` holds: decoding it records the schema of every value.
    static let anyKey = "*"

    let registry: SchemaRegistry
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any] = [:]
    private(set) var shape: Shape = .nothing

    init(registry: SchemaRegistry, codingPath: [any CodingKey] = []) {
        self.registry = registry
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let record: ObjectRecord
        if case .object(let existing) = self.shape {
            record = existing
        } else {
            record = ObjectRecord()
            self.shape = .object(record)
        }
        return KeyedDecodingContainer(RecordingKeyedContainer<Key>(recorder: self, record: record))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(recorder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(recorder: self)
    }

    func recordList(items: [String: Any]) {
        self.shape = .list(items: items)
    }

    func recordSingle(_ schema: [String: Any]) {
        self.shape = .single(schema: schema)
    }
}

/// Records each key asked for; `allKeys` offers one stand-in key, whose schema is the dictionary's values.
private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    let record: SchemaRecorder.ObjectRecord

    var codingPath: [any CodingKey] { self.recorder.codingPath }
    var allKeys: [Key] { Key(stringValue: SchemaRecorder.anyKey).map { [$0] } ?? [] }

    func contains(_ key: Key) -> Bool {
        self.record.note(key.stringValue)
        self.record.optional.insert(key.stringValue)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        self.record.note(key.stringValue)
        self.record.nullable.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try self.recordValue(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try self.recordOptional(type, key) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try self.recordValue(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try self.recordValue(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try self.recordValue(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try self.recordValue(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try self.recordValue(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try self.recordValue(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try self.recordValue(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try self.recordValue(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try self.recordValue(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try self.recordValue(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try self.recordValue(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try self.recordValue(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try self.recordValue(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try self.recordValue(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try self.recordOptional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try self.recordOptional(type, key) }

    private func recordValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let (schema, value) = try self.recorder.registry.record(type, at: self.codingPath + [key])
        if key.stringValue == SchemaRecorder.anyKey {
            self.record.additional = schema
        } else {
            self.record.note(key.stringValue)
            self.record.schemas[key.stringValue] = schema
        }
        return value
    }

    private func recordOptional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        self.record.note(key.stringValue)
        self.record.optional.insert(key.stringValue)
        return try self.recordValue(type, key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaRegistry.Underivable(path: self.codingPath + [key], reason: "nested containers are not derivable")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaRegistry.Underivable(path: self.codingPath + [key], reason: "nested containers are not derivable")
    }

    func superDecoder() throws -> any Decoder {
        throw SchemaRegistry.Underivable(path: self.codingPath, reason: "super decoders are not derivable")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw SchemaRegistry.Underivable(path: self.codingPath + [key], reason: "super decoders are not derivable")
    }
}

/// Offers one element: its schema is the list's `items`.
private struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    var count: Int? { nil }
    private(set) var currentIndex = 0

    init(recorder: SchemaRecorder) {
        self.recorder = recorder
    }

    var codingPath: [any CodingKey] { self.recorder.codingPath }
    var isAtEnd: Bool { self.currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.recordElement(type) }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try self.recordElement(type) }
    mutating func decode(_ type: String.Type) throws -> String { try self.recordElement(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try self.recordElement(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try self.recordElement(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try self.recordElement(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try self.recordElement(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try self.recordElement(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try self.recordElement(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try self.recordElement(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try self.recordElement(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try self.recordElement(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try self.recordElement(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try self.recordElement(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try self.recordElement(type) }

    private mutating func recordElement<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try self.recorder.registry.record(type, at: self.codingPath)
        self.recorder.recordList(items: schema)
        self.currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaRegistry.Underivable(path: self.codingPath, reason: "nested containers are not derivable")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SchemaRegistry.Underivable(path: self.codingPath, reason: "nested containers are not derivable")
    }

    mutating func superDecoder() throws -> any Decoder {
        throw SchemaRegistry.Underivable(path: self.codingPath, reason: "super decoders are not derivable")
    }
}

/// Records the one value a type wraps.
private struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] { self.recorder.codingPath }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.recordValue(type) }

    func decode(_ type: Bool.Type) throws -> Bool { try self.recordValue(type) }
    func decode(_ type: String.Type) throws -> String { try self.recordValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try self.recordValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try self.recordValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try self.recordValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try self.recordValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try self.recordValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try self.recordValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try self.recordValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try self.recordValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try self.recordValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try self.recordValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try self.recordValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try self.recordValue(type) }

    private func recordValue<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try self.recorder.registry.record(type, at: self.codingPath)
        self.recorder.recordSingle(schema)
        return value
    }
}
