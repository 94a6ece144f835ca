import PostgresNIO

/// A statement put together from parts, some of them optional (a listing's filters), each value bound as a
/// parameter (`$n`), never spliced into the text.
struct PostgresQueryBuilder {
    private(set) var sql = ""
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }

    /// Appends SQL text (never a value).
    mutating func add(_ text: String) { self.sql += text }

    /// Appends a parameter holding `value` (after a space, so the text before it may end in a word).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) {
        self.binds.append(value)
        self.sql += " $\(self.binds.count)"
    }

    /// Appends a parameter holding `value` or NULL.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) {
        self.binds.append(value)
        self.sql += " $\(self.binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: self.sql, binds: self.binds) }
}
