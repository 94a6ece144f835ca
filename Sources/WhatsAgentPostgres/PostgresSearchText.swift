import Foundation
import WhatsAgentCore

/// Full-text search on PostgreSQL, with FTS5's words (``SearchQuery/words(in:)``: runs of letters, digits, `_` and
/// `-`), so that both stores find the same rows (docs/store.md).
///
/// A searchable row stores its words in `search_text`, folded (case, accents) and joined by single spaces; the schema
/// generates a `tsvector` of it with the `simple` configuration (no stemming, no stop words) and indexes it. A query
/// is matched in two steps, in one statement:
/// - ``tsquery(_:)``, the same words as a `to_tsquery` phrase whose last word is a prefix, finds the candidates
///   through the GIN index. The `simple` parser cuts some words finer than FTS5 (`_` separates, a `-` before digits is
///   a sign), but it cuts the query's words as it cuts the row's, and the words are alone between spaces, so every row
///   whose words hold the query's phrase is a candidate;
/// - ``pattern(_:)``, a regular expression over `search_text`, keeps the candidates whose words hold the phrase as
///   FTS5's `"…"*` does: whole words, the last one a prefix (`account` does not match `user_account_id`).
enum PostgresSearchText {
    /// The `search_text` of `text`: its words, folded, joined by single spaces.
    static func searchText(_ text: String) -> String {
        SearchQuery.words(in: Self.fold(text)).joined(separator: " ")
    }

    /// `text` without case or accents, as the searchable text and the query are compared.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The `to_tsquery('simple', …)` text of `query`: its folded words that hold a letter or a digit (the parser drops
    /// the others), quoted (they hold letters, digits, `_` and `-` only: no quote or backslash), joined by `<->`, the
    /// last one with `:*`. Empty (matching nothing) when there is no such word.
    static func tsquery(_ query: SearchQuery) -> String {
        let words = SearchQuery.words(in: Self.fold(query.text))
            .filter { $0.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil } }
            .map { "'\($0)'" }
        guard let last = words.last else { return "" }
        return (words.dropLast() + ["\(last):*"]).joined(separator: " <-> ")
    }

    /// The regular expression (`~`) that `search_text` matches when its words hold `query`'s as a phrase: the first
    /// word from its start, the next ones whole, the last one as a prefix. Words hold letters, digits, `_` and `-`
    /// only, none of which a regular expression reads as an operator.
    static func pattern(_ query: SearchQuery) -> String {
        "(^| )" + SearchQuery.words(in: Self.fold(query.text)).joined(separator: " ")
    }
}
