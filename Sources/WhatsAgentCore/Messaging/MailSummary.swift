import Foundation

/// What a push (and `whatsagent://inbox`) says about an agent's waiting mail (SPEC §8, issue 21): how much, of which
/// kinds, at most the newest ``limit`` ids, and a cursor; read by counts and bounded index lookups, so it costs the
/// same with 10 or 10,000 messages waiting.
package struct MailSummary: Sendable, Equatable {
    /// At most this many ids are listed, the newest.
    package static let limit = 20

    package struct Item: Sendable, Equatable {
        package var id: String
        package var kind: String
        package var from: String
        package var thread: String

        package init(id: String, kind: String, from: String, thread: String) {
            (self.id, self.kind, self.from, self.thread) = (id, kind, from, thread)
        }
    }

    /// Waiting direct, broadcast and kanban messages plus unread channel posts.
    package var count: Int
    package var kinds: [String]
    /// The newest ≤ ``limit``: messages oldest first, then posts oldest first (the order `check_messages` returns them).
    package var newest: [Item]
    /// The newest waiting message's id and the newest unread post's id, joined by `+` (`14`, `c3`, `14+c3`; nil when
    /// nothing waits): equal cursors mean no new mail arrived in between.
    package var cursor: String?

    package init(count: Int, kinds: [String], newest: [Item], cursor: String?) {
        (self.count, self.kinds, self.newest, self.cursor) = (count, kinds, newest, cursor)
    }
}

extension MailSummary {
    /// A waiting message as the summary names it (what a store reads of it).
    package typealias WaitingRow = (id: Int64, kind: String, from: String, thread: String)
    /// An unread channel post as the summary names it: its id, sender, channel and thread root.
    package typealias PostRow = (id: Int64, from: String, channel: String, root: Int64)

    /// Assembles the summary from what a store read, for every store alike: the waiting counts by kind,
    /// the number of unread posts, the newest unread posts and the newest waiting messages (each newest first, at most
    /// ``limit``; the messages are read only when a count is above zero).
    package init(counts: [(kind: String, count: Int)], postCount: Int, newestPosts: [PostRow], newestMessages: [WaitingRow]) {
        var count = 0
        var kinds: Set<String> = []
        for (kind, waiting) in counts {
            kinds.insert(kind)
            count += waiting
        }
        if postCount > 0 { kinds.insert("channel") }
        let posts = newestPosts.reversed().map { post in
            Item(id: "c\(post.id)", kind: "channel", from: post.from, thread: "channel:\(post.channel):c\(post.root)")
        }
        var messages: [Item] = []
        var newestMessage: Int64?
        if count > 0 {
            newestMessage = newestMessages.first?.id
            messages = newestMessages.prefix(max(Self.limit - posts.count, 0)).reversed().map { row in
                Item(id: String(row.id), kind: row.kind, from: row.from, thread: row.thread)
            }
        }
        let cursor = [newestMessage.map { String($0) }, posts.last?.id].compactMap { $0 }.joined(separator: "+")
        self.init(count: count + postCount, kinds: kinds.sorted(), newest: messages + posts, cursor: cursor.isEmpty ? nil : cursor)
    }
}
