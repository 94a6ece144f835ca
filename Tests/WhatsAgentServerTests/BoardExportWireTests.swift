import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// The JSON export (`BoardExport` with `WireJSON`) round-trips byte for byte through an import into an empty board.
@Suite struct BoardExportWireTests {
    @Test func theJSONExportReimportsByteForByte() async throws {
        let services = try makeServices()
        for name in ["w", "w2"] {
            _ = try await services.workspaces.create(WorkspaceDraft(name: name))
            _ = try await services.repos.add(workspace: name, path: FileManager.default.temporaryDirectory.path, name: "api")
            for agent in ["main", "dev"] {
                _ = try await services.agents.add(workspace: name, AgentDraft(address: try AgentAddress(parsing: "api:\(agent)")))
            }
        }
        let board = services.board
        _ = try await board.create(BoardEpic.self, EpicDraft(title: "Épic «one»", assignedTo: "api:dev"), by: .human, workspace: "w")
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(title: "Quote \" and \\ and\nnewline", assignedTo: "api:dev", details: "ünïcode ✓", epicId: "EP-1"),
            by: .human,
            workspace: "w"
        )
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(title: "second", assignedTo: "api:main", dependsOnTaskIds: ["WA-1"]),
            by: .human,
            workspace: "w"
        )
        _ = try await board.comment(BoardTask.self, "WA-1", type: .verdictNoGo, body: "tab\there", by: .human, workspace: "w")
        _ = try await board.update(BoardTask.self, "WA-1", TaskPatch(githubNumber: .some(9)), by: .human, workspace: "w")
        _ = try await board.requestEpicClose("EP-1", by: .human, workspace: "w")

        let json = try WireJSON.encoder().encode(BoardExport(try await board.export(workspace: "w")))
        let decoded = try WireJSON.decoder().decode(BoardExport.self, from: json)
        let summary = try await board.importBoard(try decoded.snapshot(), workspace: "w2")
        let again = try WireJSON.encoder().encode(BoardExport(try await board.export(workspace: "w2")))

        #expect(summary.tasks == 2)
        #expect(String(decoding: again, as: UTF8.self) == String(decoding: json, as: UTF8.self))
    }

    @Test func anExportNamingAnItemItDoesNotHoldIsRefused() throws {
        let export = BoardExport(
            version: 1,
            taskPrefix: "WA",
            epicPrefix: "EP",
            taskSequence: 0,
            epicSequence: 0,
            tasks: [],
            epics: [],
            comments: [
                BoardCommentResponse(id: 1, itemKind: .task, itemId: "WA-404", author: "human-web", type: .note, body: "x", createdAt: Date())
            ],
            dependencies: [],
            activity: []
        )

        #expect(throws: DomainError.self) { try export.snapshot() }
    }
}
