import Foundation
import WhatsAgentAPI

/// The board's rules on a search's hits (docs/board.md, "Search"), written once for every store: a store ranks the
/// items its index matched and marks where the words matched in each hit's fields; the exact display id, the total,
/// `matchedIn` and the preview are decided here.
package enum BoardSearchHits {
    /// One ranked item: its row id, its rank (lower is better; each store documents its numbers) and the id of its
    /// best matching comment, if a comment matched.
    package struct Ranked: Sendable, Equatable {
        package var id: Int64
        package var rank: Double
        package var commentID: Int64?

        package init(id: Int64, rank: Double, commentID: Int64? = nil) {
            (self.id, self.rank, self.commentID) = (id, rank, commentID)
        }
    }

    /// Puts the item an exact display-id query names first (ahead of every ranked hit, its best comment kept), at most
    /// `limit` hits kept.
    /// - Parameters:
    ///   - exactID: the row the display id names, after the search's filters; nil when there is none.
    ///   - matches: whether that row matched the words at all (asked only when it is not among `top`): when it did
    ///     not, it is one more item in the total.
    package static func placingExact(
        _ exactID: Int64?,
        in top: [Ranked],
        total: Int,
        limit: Int,
        matches: (Int64) throws -> Bool
    ) rethrows -> (top: [Ranked], total: Int) {
        guard let exactID else { return (top, total) }
        var (top, total) = (top, total)
        var commentID: Int64?
        if let index = top.firstIndex(where: { $0.id == exactID }) {
            commentID = top.remove(at: index).commentID
        } else {
            if try !matches(exactID) { total += 1 }
            if top.count == limit { top.removeLast() }
        }
        top.insert(Ranked(id: exactID, rank: -Double.greatestFiniteMagnitude, commentID: commentID), at: 0)
        return (top, total)
    }

    /// The columns of a hit's row that a result shows.
    package struct Row: Sendable {
        package var id: Int64
        package var displayID: String
        package var title: String
        package var details: String
        package var status: String
        package var priority: String
        package var assignee: String?
        package var isArchived: Bool
        package var createdAt: Date
        package var updatedAt: Date

        package init(
            id: Int64,
            displayID: String,
            title: String,
            details: String,
            status: String,
            priority: String,
            assignee: String?,
            isArchived: Bool,
            createdAt: Date,
            updatedAt: Date
        ) {
            (self.id, self.displayID, self.title, self.details, self.status) = (id, displayID, title, details, status)
            (self.priority, self.assignee, self.isArchived, self.createdAt, self.updatedAt) = (priority, assignee, isArchived, createdAt, updatedAt)
        }
    }

    /// The fields of a hit in which the words matched, each with its first match between `\u{2}` and `\u{3}` (the
    /// markers ``BoardSearchText/preview(_:)`` reads); nil where they did not match.
    package struct Marked: Sendable {
        package var displayID: String?
        package var title: String?
        package var details: String?
        /// The best matching comment's body (marked where the store could mark it).
        package var comment: String?

        package init(displayID: String?, title: String?, details: String?, comment: String?) {
            (self.displayID, self.title, self.details, self.comment) = (displayID, title, details, comment)
        }
    }

    /// A hit: `matchedIn` lists the display id (also when it was the exact query), title, details and comments
    /// where the words matched; the preview comes from the details, else the comment, else the title, else the row.
    package static func hit(
        _ kind: BoardItemKind,
        _ row: Row,
        rank: Double,
        exact: Bool,
        marked: Marked,
        comment: BoardComment?
    ) -> BoardSearchHit {
        var matchedIn: [String] = []
        if exact || marked.displayID != nil { matchedIn.append("display_id") }
        if marked.title != nil { matchedIn.append("title") }
        if marked.details != nil { matchedIn.append("details") }
        if comment != nil { matchedIn.append("comments") }
        let preview = marked.details ?? marked.comment ?? marked.title ?? (row.details.isEmpty ? row.title : row.details)
        return BoardSearchHit(
            kind: kind,
            id: row.id,
            displayID: row.displayID,
            title: row.title,
            status: BoardStatus(rawValue: row.status) ?? .backlog,
            priority: BoardPriority(rawValue: row.priority) ?? .p2,
            assignee: row.assignee,
            isArchived: row.isArchived,
            createdAt: row.createdAt,
            updatedAt: row.updatedAt,
            matchedIn: matchedIn,
            preview: BoardSearchText.preview(preview),
            matchingComment: comment,
            rank: rank
        )
    }
}
