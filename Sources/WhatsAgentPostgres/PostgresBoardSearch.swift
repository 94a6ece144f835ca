import Foundation
import WhatsAgentCore

/// The board's full-text index on PostgreSQL (docs/store.md, "The board on PostgreSQL"). PostgreSQL's parsers split
/// `WA-012` and `snake_case` and have no accent folding without an extension, so the application writes each row's
/// `tsvector` itself from ``BoardSearchText``'s words (the words SQLite's FTS5 tokenizer makes), with positions, and
/// searches with a `tsquery` of the same words: a phrase whose last word is a prefix (`'gateway' <-> 'retr':*`).
///
/// Weights stand for SQLite's columns: the display id is `A`, the title `B`, the details `D`, and one position is
/// left free between fields, so a phrase never runs from one field into the next. Comments are indexed apart (`D`).
enum PostgresBoardSearch {
    /// `ts_rank`'s weights of `D`, `C`, `B` and `A`: details 0.1, title 0.5, display id 1 (SQLite's bm25 weighs
    /// them 1, 5 and 10); a comment's rank counts half (``PostgresBoardRows/search(_:pattern:exact:query:)``).
    static let weights = "{0.1, 0.0, 0.5, 1.0}"

    /// PostgreSQL's limits: a lexeme's bytes, a position, positions kept per lexeme.
    static let longestWord = 2_046
    static let lastPosition = 16_383
    static let positionsPerWord = 256

    /// The `tsvector` (as text) of a task or an epic.
    static func vector(displayID: String, title: String, details: String) -> String {
        var vector = Vector()
        vector.add(displayID, weight: "A")
        vector.add(title, weight: "B")
        vector.add(details, weight: "D")
        return vector.text
    }

    /// The `tsvector` (as text) of a comment.
    static func vector(comment body: String) -> String {
        var vector = Vector()
        vector.add(body, weight: "D")
        return vector.text
    }

    /// The `tsquery` (as text) of a query's words, searched as one phrase whose last word is a prefix; nil without
    /// words.
    static func query(_ words: [String]) -> String? {
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { index, word in
            self.quoted(word) + (index == words.count - 1 ? ":*" : "")
        }.joined(separator: " <-> ")
    }

    /// A lexeme quoted for the `tsvector`/`tsquery` text forms.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The words of a row's fields with their positions and weights.
    struct Vector {
        private var positions: [String: [String]] = [:]
        private var next = 1

        mutating func add(_ text: String, weight: Character) {
            for token in BoardSearchText.tokens(text) {
                let position = min(self.next, PostgresBoardSearch.lastPosition)
                self.next += 1
                guard !token.word.isEmpty, token.word.utf8.count <= PostgresBoardSearch.longestWord else { continue }
                self.positions[token.word, default: []].append("\(position)\(weight)")
            }
            // A free position: a phrase never spans two fields.
            self.next += 1
        }

        var text: String {
            self.positions.keys.sorted().map { word in
                PostgresBoardSearch.quoted(word) + ":"
                    + (self.positions[word] ?? []).prefix(PostgresBoardSearch.positionsPerWord).joined(separator: ",")
            }.joined(separator: " ")
        }
    }
}
