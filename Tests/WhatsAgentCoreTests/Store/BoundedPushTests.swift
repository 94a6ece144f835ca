import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Issue 21, SPEC §8: a push counts everything waiting but names at most the newest 20 ids and a cursor, read by
/// counts and bounded index lookups, so it does not grow with the recipient's backlog.
@Suite struct BoundedPushTests {
    @Test func aPushWithAThousandWaitingListsTheNewest20WithTheCountAndCursor() async throws {
        let home = try TemporaryHome()
        let clock = TestClock()
        let workspaces = try makeFileService(home: home, clock: clock)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        for name in ["main", "dev"] {
            _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: name == "main"))
        }
        let hub = EventHub(bus: workspaces.events)
        let sessions = SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent", now: { clock.now })
        let messages = MessageService(workspaces: workspaces, hub: hub, now: { clock.now })
        let main = try await sessions.authenticate(
            try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:main"), replace: false).token.rawValue
        )
        let dev = try await sessions.authenticate(
            try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: false).token.rawValue
        )
        let (_, database) = try await workspaces.sqliteDatabase(for: nil)

        // 999 waiting in every waiting state (one old kanban notice among them), plus acknowledged history.
        let states = ["queued", "pushed", "surfaced"]
        try await database.writer.write { db in
            for index in 0..<1_099 {
                let state = index < 100 ? "acknowledged" : states[index % 3]
                try db.execute(
                    sql: """
                        INSERT INTO message (kind, fromAgentId, fromAddress, toAgentId, toAddress, threadId, body, state, sentAt, deliveries)
                        VALUES (?, ?, 'api:main', ?, 'api:dev', 'backlog', 'old', ?, ?, 0)
                        """,
                    arguments: [
                        index == 150 ? "kanban" : "direct", main.agent.id.rawValue, dev.agent.id.rawValue, state, Date(timeIntervalSince1970: 0),
                    ]
                )
            }
            // Rows written past the store: counted as the v17 migration counts rows it finds.
            try db.execute(sql: "DELETE FROM waitingMail")
            try db.execute(
                sql: """
                    INSERT INTO waitingMail (toAgentId, kind, count) SELECT toAgentId, kind, COUNT(*) FROM message
                    WHERE toAgentId IS NOT NULL AND state IN \(Message.State.waitingSQL) GROUP BY 1, 2
                    """
            )
        }
        let (stream, _) = await hub.subscribe(dev.session.id)
        var events = stream.makeAsyncIterator()
        let sent = try await messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "the 1,000th", clientMessageID: nil)

        guard case .mail(let hint) = await events.next() else {
            Issue.record("no mail hint")
            return
        }
        let newest = try await database.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM message WHERE state IN ('queued', 'pushed', 'surfaced') ORDER BY id DESC LIMIT 20")
        }
        #expect(hint.count == 1_000)
        #expect(hint.messageIDs == newest.reversed().map { String($0) }, "the newest 20, oldest first")
        #expect(hint.cursor == sent.message.wireID)
        #expect(hint.kinds == ["direct", "kanban"])
        #expect(hint.from == nil, "only a single waiting message names its sender")
        let queued = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE state = 'queued'") }
        #expect(queued == 0, "every queued message was marked pushed, not only the listed ones")
    }

    @Test func thePushsQueriesUseIndexesAndNeverScanTheMessageTable() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home, clock: TestClock())
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        let (_, database) = try await workspaces.sqliteDatabase(for: nil)
        let plans = try await database.writer.read { db in
            try [MailSummary.countSQL, MailSummary.newestMessagesSQL].map { sql in
                try Row.fetchAll(
                    db,
                    sql: "EXPLAIN QUERY PLAN " + sql,
                    arguments: StatementArguments(Array(repeating: "a", count: 3).prefix(sql.count(of: "?")))
                )
                .map { $0["detail"] as String }
            }
        }
        #expect(plans[0].count == 1 && plans[0][0].hasPrefix("SEARCH waitingMail USING PRIMARY KEY"), "the count reads the kept counts: \(plans[0])")
        let messageAccess = plans[1].filter { $0.contains(" message") }
        #expect(!messageAccess.isEmpty)
        #expect(messageAccess.allSatisfy { $0.hasPrefix("SEARCH message USING") }, "\(plans[1])")
        #expect(plans[1].filter { $0.contains("INDEX message_inbox") }.count == 3, "one bounded descent per waiting state: \(plans[1])")
    }
}

extension String {
    fileprivate func count(of needle: Character) -> Int { self.filter { $0 == needle }.count }
}
