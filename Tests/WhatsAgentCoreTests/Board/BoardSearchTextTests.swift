import Foundation
import Testing

@testable import WhatsAgentCore

/// The words of the board's search as a store without FTS5 indexes them (``BoardSearchText``): FTS5's `unicode61
/// remove_diacritics 1 tokenchars '_-'`, and the phrase-with-prefix match a preview marks.
@Suite struct BoardSearchTextTests {
    @Test func wordsKeepUnderscoresAndHyphensAndFoldCaseAndAccents() {
        #expect(
            BoardSearchText.queryWords("Fix WA-012: the snake_case Crème-Brûlée, don't!") == [
                "fix", "wa-012", "the", "snake_case", "creme-brulee", "don", "t",
            ]
        )
        #expect(BoardSearchText.queryWords("  ()*\"  ").isEmpty)
        #expect(BoardSearchText.queryWords("日本語 テスト 42") == ["日本語", "テスト", "42"])
    }

    @Test func aPhraseMatchesWordsInOrderItsLastWordAPrefix() throws {
        let text = "The payment gateway retries twice"
        let match = try #require(BoardSearchText.firstMatch(of: ["gateway", "retr"], in: text))
        #expect(text[match] == "gateway retries")
        #expect(BoardSearchText.firstMatch(of: ["gate", "retries"], in: text) == nil, "only the last word is a prefix")
        #expect(BoardSearchText.firstMatch(of: ["retries", "gateway"], in: text) == nil)
        #expect(BoardSearchText.marked("Café au lait", words: ["cafe"]) == "\u{2}Café\u{3} au lait")
    }

    @Test func aPreviewIsAWindowAroundTheFirstMatch() {
        let long = String(repeating: "filler ", count: 40) + "\u{2}crème\u{3} brûlée"
        let preview = BoardSearchText.preview(long)
        #expect(preview.hasPrefix("…") && preview.hasSuffix("crème brûlée"))
        #expect(BoardSearchText.preview("line one\nline \u{2}two\u{3}") == "line one line two")
        #expect(BoardSearchText.preview(String(repeating: "x", count: 300)).count == 241)
    }
}
