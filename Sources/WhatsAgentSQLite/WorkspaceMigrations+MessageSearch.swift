import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// The tokenizer of every full-text table (reference §5): case- and diacritics-insensitive, and `_`/`-` are part of
    /// words, so `snake_case` and `kebab-case` identifiers are found whole.
    static let searchTokenizer = FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "1", "tokenchars", "_-"])

    /// Registers `v5-message-search` (and any later migrations of this area, appended after it).
    ///
    /// `message_fts` and `channelPost_fts` are external-content FTS5 tables over the `body` column of `message` and
    /// `channelPost` (the rows' ids are the FTS rowids), kept in step by insert, delete and body-update triggers and
    /// backfilled from the existing rows. The update trigger fires only when `body` changes, so the frequent state,
    /// lease and delivery updates of a message never touch the index.
    ///
    /// A later migration that rebuilds `message` or `channelPost` (create, copy, drop, rename) drops these triggers
    /// with the old table: it must create them again (``createSearchTriggers(_:content:fts:)``) and rebuild the index
    /// (`INSERT INTO message_fts(message_fts) VALUES('rebuild')`).
    static func registerMessageSearch(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-message-search") { db in
            for (content, fts) in [("message", "message_fts"), ("channelPost", "channelPost_fts")] {
                try db.create(virtualTable: fts, using: FTS5()) { t in
                    t.tokenizer = Self.searchTokenizer
                    t.content = content
                    t.contentRowID = "id"
                    t.column("body")
                }
                try Self.createSearchTriggers(db, content: content, fts: fts)
                try db.execute(sql: "INSERT INTO \(fts)(\(fts)) VALUES('rebuild')")
            }
        }
    }

    /// The triggers that keep `fts` (external content over `content.body`) in step with `content`.
    static func createSearchTriggers(_ db: Database, content: String, fts: String) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER \(fts)_ai AFTER INSERT ON \(content) BEGIN
                    INSERT INTO \(fts)(rowid, body) VALUES (new.id, new.body);
                END;
                CREATE TRIGGER \(fts)_ad AFTER DELETE ON \(content) BEGIN
                    INSERT INTO \(fts)(\(fts), rowid, body) VALUES ('delete', old.id, old.body);
                END;
                CREATE TRIGGER \(fts)_au AFTER UPDATE OF body ON \(content) BEGIN
                    INSERT INTO \(fts)(\(fts), rowid, body) VALUES ('delete', old.id, old.body);
                    INSERT INTO \(fts)(rowid, body) VALUES (new.id, new.body);
                END;
                """
        )
    }
}
