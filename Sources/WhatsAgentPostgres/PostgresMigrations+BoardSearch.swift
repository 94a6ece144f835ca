extension PostgresMigrations {
    /// The board's search index holds the application's words (``PostgresBoardSearch``): a task's, an epic's or a
    /// comment's `search` is written with the row, from the words SQLite's FTS5 tokenizer makes, with weights for
    /// the fields, instead of a `tsvector` PostgreSQL generates from `search_text` (its parsers split `WA-012` and
    /// `snake_case`, and fold no accents). The board's `search_text` goes: nothing else reads it.
    static let boardSearchWords: [String] = ["board_task", "board_epic", "board_comment"].flatMap { table in
        [
            "ALTER TABLE \(table) DROP COLUMN search",
            "ALTER TABLE \(table) DROP COLUMN search_text",
            "ALTER TABLE \(table) ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector",
            "CREATE INDEX \(table)_search ON \(table) USING gin (search)",
        ]
    }
}
