import Foundation

extension BoardService {
    // MARK: - Search

    /// Full-text search of one kind over display ids, titles, details and comments (`search_kanban_tasks`,
    /// `search_kanban_epics`).
    /// - Throws: `invalid_argument` (query length, no letters or digits, limit), `rbac_denied`.
    package func search<Item: BoardItem>(
        _: Item.Type,
        _ query: BoardSearchQuery,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws
        -> BoardSearchResult
    {
        let kind = Item.kind
        let pattern = try Self.searchPattern(query.text)
        guard BoardLimits.searchLimit.contains(query.limit) else {
            throw DomainError.invalidArgument(
                "limit must be from \(BoardLimits.searchLimit.lowerBound) to \(BoardLimits.searchLimit.upperBound) (got \(query.limit))"
            )
        }
        let exact: String? =
            switch try? BoardDisplayID.parse(query.text, kind: kind) {
            case .display(let id): id
            default: nil
            }
        return try await self.read(actor, workspace) { tx in
            try tx.search(kind, pattern: pattern, exact: exact, query: query)
        }
    }

    /// The FTS5 pattern of a query: the whole text as one quoted prefix phrase (`"add log"*`), so nothing typed is
    /// ever read as FTS syntax.
    /// - Throws: `invalid_argument` for 0–1 or more than 200 characters, or no letter or digit.
    static func searchPattern(_ text: String) throws -> String {
        let cleaned = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard BoardLimits.queryLength.contains(FreeText.length(cleaned)) else {
            throw DomainError.invalidArgument(
                "query must be \(BoardLimits.queryLength.lowerBound) to \(BoardLimits.queryLength.upperBound) characters (got \(FreeText.length(cleaned)))"
            )
        }
        guard cleaned.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw DomainError.invalidArgument("query '\(cleaned)' has no letter or digit to search for")
        }
        return "\"" + cleaned.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
    }
}
