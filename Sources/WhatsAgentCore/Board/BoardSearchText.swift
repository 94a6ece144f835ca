import Foundation

/// The words of the board's full-text search (docs/board.md, "Search") as SQLite's FTS5 tokenizer `unicode61
/// remove_diacritics 1 tokenchars '_-'` makes them: runs of letters, digits, `_` and `-` (`WA-012` and `snake_case`
/// are one word each), compared without case and accents. A store whose engine has no such tokenizer (PostgreSQL)
/// indexes these words and marks its previews with them, so a query finds the same items on every store.
package enum BoardSearchText {
    /// A word of a text: its folded form and where it stands.
    package struct Token: Sendable, Equatable {
        package var word: String
        package var range: Range<String.Index>
    }

    /// The words of `text`, in order.
    package static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let isWord = self.isWordCharacter(text[index])
            if isWord, start == nil { start = index }
            if !isWord, let first = start {
                tokens.append(Token(word: self.fold(text[first..<index]), range: first..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let first = start { tokens.append(Token(word: self.fold(text[first...]), range: first..<text.endIndex)) }
        return tokens
    }

    /// The folded words of a query (what ``BoardService`` searches as one phrase, its last word a prefix): the words
    /// of ``SearchQuery/words(in:)``, which message search cuts, as ``tokens(_:)`` cuts a row's.
    package static func queryWords(_ text: String) -> [String] {
        SearchQuery.words(in: self.fold(Substring(text)))
    }

    /// Where the phrase `words` (its last word a prefix) first occurs in `text`, from its first word's start to its
    /// last word's end; nil when it does not.
    package static func firstMatch(of words: [String], in text: String) -> Range<String.Index>? {
        guard let last = words.last else { return nil }
        let tokens = self.tokens(text)
        guard tokens.count >= words.count else { return nil }
        for start in 0...(tokens.count - words.count) {
            let window = tokens[start..<(start + words.count)]
            let matches = zip(window, words).enumerated().allSatisfy { offset, pair in
                offset == words.count - 1 ? pair.0.word.hasPrefix(last) : pair.0.word == pair.1
            }
            if matches, let first = window.first, let end = window.last { return first.range.lowerBound..<end.range.upperBound }
        }
        return nil
    }

    /// `text` with its first match of `words` between the markers of ``preview(_:)``; nil when it does not match.
    package static func marked(_ text: String, words: [String]) -> String? {
        guard let match = self.firstMatch(of: words, in: text) else { return nil }
        return String(text[..<match.lowerBound]) + "\u{2}" + String(text[match]) + "\u{3}" + String(text[match.upperBound...])
    }

    /// A hit's preview from a text whose match is marked (`\u{2}` before, `\u{3}` after): a window from 100
    /// characters before the first match to 140 after it, `…` where cut; markers removed, lines joined.
    package static func preview(_ marked: String) -> String {
        let clean = { (text: Substring) in String(text.filter { $0 != "\u{2}" && $0 != "\u{3}" }) }
        guard let start = marked.firstIndex(of: "\u{2}") else {
            return marked.count > 240 ? clean(marked.prefix(240)) + "…" : clean(Substring(marked))
        }
        let before = marked[..<start]
        let after = marked[start...]
        let head = before.count > 100 ? "…" + clean(before.suffix(100)) : clean(before)
        let tail = after.count > 140 ? clean(after.prefix(140)) + "…" : clean(after)
        return (head + tail).replacingOccurrences(of: "\n", with: " ")
    }

    /// Letters, digits (any script), `_` and `-` (``SearchQuery``'s word characters; a character's combining marks
    /// go with it).
    static func isWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.first.map(SearchQuery.isWordCharacter) ?? false
    }

    /// Case and accents removed.
    static func fold(_ word: Substring) -> String {
        String(word).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
