import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Every free-text input refuses U+0000 (storage would cut the text there), and every limit counts Unicode scalars
/// (issue 14).
@Suite struct FreeTextTests {
    /// One free-text entry point: the call with `text` in the field under test, the field its refusal must name, and
    /// a text the call accepts. The same text with a NUL inside must be refused.
    struct Entry: Sendable {
        let input: String
        let field: String
        let valid: String
        let call: @Sendable (String) async throws -> Void
    }

    /// Text with a NUL in the middle: before the fix only "ok" was stored.
    static func withNUL(_ text: String) -> String {
        let middle = text.index(text.startIndex, offsetBy: text.count / 2)
        return String(text[..<middle]) + "\u{0}" + String(text[middle...])
    }

    static func entries() async throws -> [Entry] {
        let direct = try await ControlsWorld(topology: .p2p)
        let channels = try await ControlsWorld(topology: .channel)
        let board = try await BoardWorld.make()
        let a = try await direct.connect("api:a")
        let poster = try await channels.connect("api:a")
        let root = try await channels.channels.post(workspace: nil, from: .agent(poster), channel: nil, body: "root")
        _ = try await board.board.create(BoardEpic.self, EpicDraft(title: "e", assignedTo: "api:dev"), by: .human)
        _ = try await board.task("t")
        let counter = Counter()
        let rbac = board.rbacWorld.rbac
        let agents = direct.agents
        let workspaces = direct.workspaces
        let home = direct.home
        let messages = direct.messages
        let sessions = direct.sessions
        let channelService = channels.channels
        let boardService = board.board
        return [
            Entry(input: "send_message", field: "body", valid: "hello there") {
                _ = try await messages.send(workspace: nil, from: .agent(a), to: "api:b", body: $0, clientMessageID: nil)
            },
            Entry(input: "send_message clientMessageId", field: "clientMessageId", valid: "client-id") {
                _ = try await messages.send(workspace: nil, from: .agent(a), to: "api:b", body: "hi", clientMessageID: "\($0)\(counter.next())")
            },
            Entry(input: "the human's message", field: "body", valid: "hello there") {
                _ = try await messages.send(workspace: nil, from: .human, to: "api:b", body: $0, clientMessageID: nil)
            },
            Entry(input: "broadcast", field: "body", valid: "hello all") {
                _ = try await messages.broadcast(from: a, body: $0)
            },
            Entry(input: "the human's broadcast", field: "body", valid: "hello all") {
                _ = try await messages.broadcast(workspace: nil, fromHumanBody: $0)
            },
            Entry(input: "post_channel_message", field: "body", valid: "hello channel") {
                _ = try await channelService.post(workspace: nil, from: .agent(poster), channel: nil, body: $0)
            },
            Entry(input: "reply_channel_message", field: "body", valid: "a reply") {
                _ = try await channelService.reply(workspace: nil, from: .agent(poster), to: root.wireID, body: $0)
            },
            Entry(input: "create_channel", field: "channel name", valid: "news") {
                _ = try await channelService.create(workspace: nil, name: "\($0)\(counter.next())")
            },
            Entry(input: "set_summary", field: "summary", valid: "working on login") {
                _ = try await sessions.setSummary(a, $0)
            },
            Entry(input: "persona of a new agent", field: "description", valid: "a careful reviewer") {
                _ = try await agents.add(
                    workspace: nil,
                    AgentDraft(address: try AgentAddress(parsing: "api:p\(counter.next())"), persona: Persona(description: $0))
                )
            },
            Entry(input: "persona update", field: "extra_prompt", valid: "be brief") {
                _ = try await agents.update(workspace: nil, try AgentAddress(parsing: "api:a"), AgentPatch(persona: Persona(extraPrompt: $0)))
            },
            Entry(input: "agent name", field: "agent name", valid: "newagent") {
                _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\($0)\(counter.next())")))
            },
            Entry(input: "repo name", field: "repo name", valid: "web") {
                let suffix = counter.next()
                _ = try await RepoService(workspaces: workspaces).add(
                    workspace: nil,
                    path: try home.makeDirectory("repo\(suffix)"),
                    name: "\($0)\(suffix)"
                )
            },
            Entry(input: "workspace name", field: "workspace name", valid: "other") {
                _ = try await workspaces.create(WorkspaceDraft(name: "\($0)\(counter.next())"))
            },
            Entry(input: "colleague protocol", field: "colleague protocol", valid: "Be kind to colleagues.") {
                _ = try await workspaces.setColleagueProtocol(nil, text: $0)
            },
            Entry(input: "role name", field: "role name", valid: "auditor") {
                _ = try await rbac.createRole(named: "\($0)\(counter.next())", workspace: nil)
            },
            Entry(input: "role description", field: "description", valid: "reads the audit log") {
                _ = try await rbac.createRole(named: "role\(counter.next())", description: $0, workspace: nil)
            },
            Entry(input: "web password", field: "password", valid: "correct horse") {
                try AuthPolicy().check(password: $0)
            },
            Entry(input: "create_kanban_task title", field: "title", valid: "Add login") {
                _ = try await boardService.create(BoardTask.self, TaskDraft(title: $0, assignedTo: "api:dev"), by: .human)
            },
            Entry(input: "create_kanban_task details", field: "details", valid: "Use the session cookie") {
                _ = try await boardService.create(BoardTask.self, TaskDraft(title: "t", assignedTo: "api:dev", details: $0), by: .human)
            },
            Entry(input: "create_kanban_task githubUrl", field: "githubUrl", valid: "https://github.com/o/r/issues/1") {
                _ = try await boardService.create(
                    BoardTask.self,
                    TaskDraft(title: "t", assignedTo: "api:dev", github: GitHubLink(url: $0)),
                    by: .human
                )
            },
            Entry(input: "create_kanban_task githubTitle", field: "githubTitle", valid: "Login is broken") {
                _ = try await boardService.create(
                    BoardTask.self,
                    TaskDraft(title: "t", assignedTo: "api:dev", github: GitHubLink(title: $0)),
                    by: .human
                )
            },
            Entry(input: "update_kanban_task title", field: "title", valid: "New title") {
                _ = try await boardService.update(BoardTask.self, "WA-1", TaskPatch(title: $0), by: .human)
            },
            Entry(input: "update_kanban_task details", field: "details", valid: "More details") {
                _ = try await boardService.update(BoardTask.self, "WA-1", TaskPatch(details: $0), by: .human)
            },
            Entry(input: "comment_kanban_task", field: "body", valid: "looks good") {
                _ = try await boardService.comment(BoardTask.self, "WA-1", type: .note, body: $0, by: .human)
            },
            Entry(input: "create_kanban_epic title", field: "title", valid: "Accounts") {
                _ = try await boardService.create(BoardEpic.self, EpicDraft(title: $0, assignedTo: "api:dev"), by: .human)
            },
            Entry(input: "update_kanban_epic details", field: "details", valid: "Everything about accounts") {
                _ = try await boardService.update(BoardEpic.self, "EP-1", EpicPatch(details: $0), by: .human)
            },
            Entry(input: "comment_kanban_epic", field: "body", valid: "on track") {
                _ = try await boardService.comment(BoardEpic.self, "EP-1", type: .note, body: $0, by: .human)
            },
        ]
    }

    @Test func aNULIsRefusedInEveryFreeTextInputNamingTheField() async throws {
        for entry in try await Self.entries() {
            try await entry.call(entry.valid)
            let error = await #expect(throws: DomainError.self, "\(entry.input) accepted a NUL") {
                try await entry.call(Self.withNUL(entry.valid))
            }
            #expect(
                error?.code == .invalidArgument || error?.code == .invalidName,
                "\(entry.input): \(String(describing: error?.code))"
            )
            #expect(error?.message.contains(entry.field) == true, "\(entry.input) does not name \(entry.field): \(error?.message ?? "")")
        }
    }

    @Test func theRefusalSaysWhatToRemove() async throws {
        let error = #expect(throws: DomainError.self) { try FreeText.rejectNUL("a\u{0}b", field: "body") }
        #expect(error?.message.contains("remove the NUL character (U+0000) from `body`") == true)
    }

    @Test func aBoardImportWithANULIsRefusedNamingTheItemAndField() async throws {
        let world = try await BoardWorld.make()
        _ = try await world.task("t")
        var exported = try await world.board.export()
        exported.tasks[0].details = "kept\u{0}lost"
        _ = try await world.workspaces.create(WorkspaceDraft(name: "w2"))

        let error = await #expect(throws: DomainError.self) { try await world.board.importBoard(exported, workspace: "w2") }
        #expect(error?.code == .invalidArgument && error?.message.contains("WA-001.details") == true)
    }

    // MARK: Lengths

    /// `e` followed by combining acute accents: one grapheme cluster (`Character`), `marks + 1` Unicode scalars.
    static func stacked(_ marks: Int) -> String {
        "e" + String(repeating: "\u{301}", count: marks)
    }

    @Test func limitsCountUnicodeScalarsNotGraphemeClusters() async throws {
        #expect(Self.stacked(40_000).count == 1, "the attack: one Character")
        let world = try await ControlsWorld()
        let a = try await world.connect("api:a")

        let body = await #expect(throws: DomainError.self) {
            try await world.send(a, "api:b", Self.stacked(Workspace.maxBodyLimit))
        }
        #expect(body?.code == .invalidArgument && body?.message.contains("\(Workspace.maxBodyLimit + 1) characters") == true)
        let atLimit = try await world.send(a, "api:b", Self.stacked(Workspace.maxBodyLimit - 1))
        #expect(atLimit.message.body.unicodeScalars.count == Workspace.maxBodyLimit)

        let summary = await #expect(throws: DomainError.self) { try await world.sessions.setSummary(a, Self.stacked(500)) }
        #expect(summary?.message.contains("`summary` has 501 characters") == true)
        let persona = await #expect(throws: DomainError.self) {
            try await world.agents.update(
                workspace: nil,
                try AgentAddress(parsing: "api:a"),
                AgentPatch(persona: Persona(skills: Self.stacked(Persona.maxFieldCharacters)))
            )
        }
        #expect(persona?.message.contains("`skills` has") == true)

        let board = try await BoardWorld.make()
        let title = await #expect(throws: DomainError.self) {
            try await board.board.create(BoardTask.self, TaskDraft(title: Self.stacked(BoardLimits.title), assignedTo: "api:dev"), by: .human)
        }
        #expect(title?.message.contains("`title` has \(BoardLimits.title + 1) characters") == true)
        _ = try await board.task("t")
        let comment = await #expect(throws: DomainError.self) {
            try await board.board.comment(BoardTask.self, "WA-1", type: .note, body: Self.stacked(BoardLimits.commentBody), by: .human)
        }
        #expect(comment?.code == .invalidArgument)
    }

    /// With today's largest body limit (32,000 scalars of at most 4 bytes) a body stays under 128 KiB, so the byte cap
    /// is the backstop for a larger limit: checked here with one above 32,768.
    @Test func aBodyOver128KiBOfUTF8IsRefusedWhateverItsScalarCount() throws {
        let emoji = "\u{1F600}"
        #expect(emoji.utf8.count == 4)
        let over = String(repeating: emoji, count: 33_000)
        let error = #expect(throws: DomainError.self) {
            try FreeText.checkBody(over, field: "body", limit: 40_000, advice: "split it")
        }
        #expect(error?.message.contains("`body` has 132000 bytes of UTF-8; at most 131072") == true)
        try FreeText.checkBody(String(repeating: emoji, count: 32_768), field: "body", limit: 40_000, advice: "split it")
        // Titles and other short fields have only the scalar limit.
        try FreeText.check(String(repeating: emoji, count: 500), field: "title", limit: 500, advice: "shorten it")
    }
}

/// Unique suffixes for the entries that create something.
private final class Counter: @unchecked Sendable {
    // `@unchecked Sendable`: `value` is only touched inside `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        self.lock.lock()
        defer { self.lock.unlock() }
        self.value += 1
        return self.value
    }
}
