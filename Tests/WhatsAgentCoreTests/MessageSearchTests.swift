import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Full-text search over direct/broadcast messages and channel posts: the FTS5 migration, who sees what, ranking,
/// previews and bad queries.
@Suite struct MessageSearchTests {
    struct World {
        let home: TemporaryHome
        let workspaces: WorkspaceService
        let sessions: SessionService
        let messages: MessageService
        let channels: ChannelService
        let search: MessageSearchService
    }

    func makeWorld(topology: Topology = .star) async throws -> World {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: topology))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        for (name, main) in [("main", true), ("dev", false), ("qa", false)] {
            _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: main))
        }
        let hub = EventHub()
        let messages = MessageService(workspaces: workspaces, hub: hub)
        return World(
            home: home,
            workspaces: workspaces,
            sessions: SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent"),
            messages: messages,
            channels: ChannelService(workspaces: workspaces, messages: messages),
            search: MessageSearchService(workspaces: workspaces)
        )
    }

    func identity(_ world: World, _ address: String) async throws -> AgentIdentity {
        let grant = try await world.sessions.connect(workspace: nil, try AgentAddress(parsing: address), replace: false)
        return try await world.sessions.authenticate(grant.token.rawValue)
    }

    @discardableResult
    func send(_ world: World, _ from: AgentIdentity?, _ to: String, _ body: String) async throws -> Message {
        try await world.messages.send(workspace: nil, from: from.map { .agent($0) } ?? .human, to: to, body: body, clientMessageID: nil).message
    }

    func directIDs(_ world: World, _ searcher: AgentIdentity?, _ query: String, sender: String? = nil) async throws -> [String] {
        try await world.search.directMessages(workspace: nil, as: searcher.map { .agent($0) } ?? .human, query: query, sender: sender, limit: nil)
            .hits.map(\.message.wireID)
    }

    // MARK: - The index

    @Test func theMigrationBackfillsExistingRowsAndTriggersFollowInsertUpdateAndDelete() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v5-messaging-controls")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, sentAt)
                    VALUES ('direct', 'api:a', 'api:b', 't', 'the old deployment notes', 'delivered', '2026-01-01')
                    """
            )
            try db.execute(sql: "INSERT INTO channel (name, createdBy, createdAt) VALUES ('shared', 'system', '2026-01-01')")
            try db.execute(
                sql: "INSERT INTO channelPost (channelId, fromAddress, body, sentAt) VALUES (1, 'api:a', 'old standup agenda', '2026-01-01')"
            )
        }

        try migrator.migrate(queue)
        func matches(_ table: String, _ phrase: String) throws -> [Int64] {
            try queue.read { db in
                try Int64.fetchAll(db, sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ? ORDER BY rowid", arguments: [phrase])
            }
        }

        #expect(try matches("message_fts", "deployment") == [1], "backfilled")
        #expect(try matches("channelPost_fts", "standup") == [1], "backfilled")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO message (kind, fromAddress, toAddress, threadId, body, state, sentAt)
                    VALUES ('direct', 'api:b', 'api:a', 't', 'new deployment plan', 'queued', '2026-01-02')
                    """
            )
            try db.execute(sql: "UPDATE message SET state = 'acknowledged', deliveries = 1 WHERE id = 2")
        }
        #expect(try matches("message_fts", "deployment") == [1, 2], "insert trigger")
        try queue.write { db in try db.execute(sql: "UPDATE message SET body = 'rollback notes' WHERE id = 1") }
        #expect(try matches("message_fts", "deployment") == [2], "update trigger removes the old words")
        #expect(try matches("message_fts", "rollback") == [1], "update trigger adds the new words")
        try queue.write { db in try db.execute(sql: "DELETE FROM message WHERE id = 2") }
        #expect(try matches("message_fts", "deployment").isEmpty, "delete trigger")
        try queue.write { db in try db.execute(sql: "DELETE FROM channelPost") }
        #expect(try matches("channelPost_fts", "standup").isEmpty)
        let integrity = try queue.write { db in
            try db.execute(sql: "INSERT INTO message_fts(message_fts, rank) VALUES('integrity-check', 1)")
            try db.execute(sql: "INSERT INTO channelPost_fts(channelPost_fts, rank) VALUES('integrity-check', 1)")
            return true
        }
        #expect(integrity)
    }

    @Test func matchingIgnoresCaseAndDiacriticsKeepsIdentifiersWholeAndMatchesPrefixes() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let cafe = try await self.send(world, main, "api:dev", "Meet at the CAFÉ near the Straße")
        let snake = try await self.send(world, main, "api:dev", "rename user_account_id and fix kebab-case-name")

        #expect(try await self.directIDs(world, nil, "cafe") == [cafe.wireID])
        #expect(try await self.directIDs(world, nil, "straße") == [cafe.wireID])
        #expect(try await self.directIDs(world, nil, "user_account_id") == [snake.wireID])
        #expect(try await self.directIDs(world, nil, "user_acc") == [snake.wireID], "prefix of the last word")
        #expect(try await self.directIDs(world, nil, "kebab-case-name") == [snake.wireID])
        #expect(try await self.directIDs(world, nil, "account").isEmpty, "an identifier is one word: no match inside it")
        #expect(try await self.directIDs(world, nil, "the cafe") == [cafe.wireID], "a phrase")
        #expect(try await self.directIDs(world, nil, "cafe the").isEmpty, "words in another order are not the phrase")
    }

    // MARK: - Who sees what

    @Test func agentsFindOnlyTheirOwnConversationsAndNeverRefusedMessages() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        let qa = try await self.identity(world, "api:qa")
        let toDev = try await self.send(world, main, "api:dev", "release checklist for dev")
        let fromDev = try await self.send(world, dev, "api:main", "release checklist done")
        let toQA = try await self.send(world, main, "api:qa", "release checklist for qa")
        let fromHuman = try await self.send(world, nil, "api:dev", "release checklist from the human")
        // star topology: dev → qa is refused and recorded as rejected.
        await #expect(throws: DomainError.self) { try await self.send(world, dev, "api:qa", "release checklist sideways") }

        let devSees = Set(try await self.directIDs(world, dev, "release checklist"))
        let qaSees = Set(try await self.directIDs(world, qa, "release checklist"))
        let humanSees = try await world.search.directMessages(workspace: nil, as: .human, query: "checklist", sender: nil, limit: nil)

        #expect(devSees == [toDev.wireID, fromDev.wireID, fromHuman.wireID])
        #expect(qaSees == [toQA.wireID])
        #expect(humanSees.total == 5, "the human sees every message, the refused one too")
        #expect(humanSees.hits.contains { $0.message.state == .rejected && $0.message.body == "release checklist sideways" })
        #expect(try await self.directIDs(world, dev, "sideways").isEmpty, "the sender does not find its refused message")
    }

    @Test func aBroadcastIsFoundOnceAndSenderFiltersNarrow() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        let outcomes = try await world.messages.broadcast(from: main, body: "freeze the main branch tonight")
        let humanRows = try await world.messages.broadcast(workspace: nil, fromHumanBody: "freeze lifted tomorrow")
        try await self.send(world, dev, "api:main", "freeze noted")

        let human = try await world.search.directMessages(workspace: nil, as: .human, query: "freeze", sender: nil, limit: nil)
        let mainSees = try await self.directIDs(world, main, "freeze")
        let devSees = try await self.directIDs(world, dev, "freeze")
        let byMain = try await self.directIDs(world, nil, "freeze", sender: "API:Main")
        let byHuman = try await self.directIDs(world, nil, "freeze", sender: "human-web")

        #expect(outcomes.count == 2 && humanRows.count == 3)
        #expect(human.total == 3, "each broadcast once, plus the direct reply: \(human.hits.map(\.message.body))")
        #expect(mainSees.count == 3, "its own broadcast once, the human's broadcast row to it, dev's reply")
        #expect(Set(devSees).count == 3, "main's broadcast row to dev, the human's row to dev, its own reply")
        #expect(byMain == [outcomes[0].message.wireID])
        #expect(byHuman == [humanRows[0].message.wireID])
        await #expect(throws: DomainError.self) { try await self.directIDs(world, nil, "freeze", sender: "not an address") }
    }

    @Test func channelSearchCoversTheChannelsAnAgentIsInAndExplainsHowToJoinOthers() async throws {
        let world = try await self.makeWorld(topology: .channel)
        let main = try await self.identity(world, "api:main")
        let dev = try await self.identity(world, "api:dev")
        _ = try await world.channels.create(main, name: "ops")
        let shared = try await world.channels.post(workspace: nil, from: .agent(main), channel: "shared", body: "incident review at noon")
        let ops = try await world.channels.post(workspace: nil, from: .agent(main), channel: "ops", body: "incident runbook updated")
        let reply = try await world.channels.reply(workspace: nil, from: .agent(dev), to: shared.wireID, body: "incident notes attached")

        func ids(_ searcher: MessageSender, channel: String? = nil, sender: String? = nil) async throws -> Set<String> {
            Set(
                try await world.search.channelPosts(workspace: nil, as: searcher, query: "incident", channel: channel, sender: sender, limit: nil)
                    .hits.map(\.post.wireID)
            )
        }

        #expect(try await ids(.agent(dev)) == [shared.wireID, reply.wireID], "dev is not in #ops")
        #expect(try await ids(.agent(main)) == [shared.wireID, ops.wireID, reply.wireID])
        #expect(try await ids(.human) == [shared.wireID, ops.wireID, reply.wireID])
        #expect(try await ids(.human, channel: "#ops") == [ops.wireID])
        #expect(try await ids(.agent(main), sender: "api:dev") == [reply.wireID])
        let refusal = await #expect(throws: DomainError.self) { try await ids(.agent(dev), channel: "ops") }
        #expect(refusal?.code == .invalidState)
        #expect(refusal?.message.contains("join_channel") == true)
        await #expect(throws: DomainError.self) { try await ids(.human, channel: "nowhere") }

        _ = try await world.channels.join(dev, name: "ops")
        #expect(try await ids(.agent(dev), channel: "ops") == [ops.wireID])
        let hit = try #require(
            try await world.search.channelPosts(workspace: nil, as: .human, query: "notes", channel: nil, sender: nil, limit: nil).hits.first
        )
        #expect(hit.post.rootID == shared.id && hit.post.channelName == "shared" && hit.post.fromAddress == "api:dev")
    }

    // MARK: - Ranking, paging, previews

    @Test func resultsAreRankedWithBM25AndTotalsTellWhatWasLeftOut() async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let weak = try await self.send(world, main, "api:dev", "a long note about many things, the cache among them, and much else besides")
        let strong = try await self.send(world, main, "api:dev", "cache cache cache")
        for index in 0..<3 { try await self.send(world, main, "api:qa", "cache entry \(index) of a longer listing of values") }

        let page = try await world.search.directMessages(workspace: nil, as: .human, query: "cache", sender: nil, limit: 2)
        let all = try await world.search.directMessages(workspace: nil, as: .human, query: "cache", sender: nil, limit: 100)

        #expect(page.hits.first?.message.id == strong.id)
        #expect(page.hits.count == 2 && page.total == 5 && page.truncated)
        #expect(all.hits.count == 5 && !all.truncated)
        #expect(all.hits.last?.message.id == weak.id, "the longest body with one mention ranks last")
        #expect(zip(all.hits, all.hits.dropFirst()).allSatisfy { $0.rank <= $1.rank })
    }

    @Test func thePreviewIsAWindowAroundTheFirstMatch() throws {
        let query = try SearchQuery("needle")
        let body = String(repeating: "a", count: 300) + " Needle " + String(repeating: "b", count: 300)

        let preview = query.preview(of: body)
        let short = query.preview(of: "find the needle here")

        #expect(preview.hasPrefix("…") && preview.hasSuffix("…"))
        #expect(preview.count == 1 + 100 + 140 + 1)
        #expect(preview.dropFirst().hasPrefix(String(repeating: "a", count: 99) + " Needle"))
        #expect(short == "find the needle here")
        #expect(try SearchQuery("cafe").preview(of: "x Café y") == "x Café y")
    }

    // MARK: - Bad queries

    @Test(arguments: [
        "", " ", "a", String(repeating: "x", count: 201), "!!", "\"\"", "* ^ ()", "tab\u{1}control",
    ])
    func badQueriesAreRefusedClearly(_ query: String) async throws {
        let world = try await self.makeWorld()

        let error = await #expect(throws: DomainError.self) {
            try await world.search.directMessages(workspace: nil, as: .human, query: query, sender: nil, limit: nil)
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("search") == true)
    }

    @Test(arguments: [
        "NOT", "a AND b", "x OR", "NEAR(a b)", "col:value", "\"unbalanced", "it's \"quoted\"", "star*", "^caret", "(paren", "-minus", "a+b",
        "中文字", "emoji 🚀 launch",
    ])
    func ftsSyntaxInAQueryIsSearchedForLiterally(_ query: String) async throws {
        let world = try await self.makeWorld()
        let main = try await self.identity(world, "api:main")
        let sent = try await self.send(world, main, "api:dev", "before \(query) after")

        let ids = try await self.directIDs(world, nil, query)

        #expect(ids == [sent.wireID], "query \(query)")
    }

    @Test(arguments: [0, 101, -1])
    func limitsOutsideOneToAHundredAreRefused(_ limit: Int) async throws {
        let world = try await self.makeWorld()

        let error = await #expect(throws: DomainError.self) {
            try await world.search.channelPosts(workspace: nil, as: .human, query: "hello", channel: nil, sender: nil, limit: limit)
        }

        #expect(error?.message.contains("limit must be from 1 to 100") == true)
    }
}
