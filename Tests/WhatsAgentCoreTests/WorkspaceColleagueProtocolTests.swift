import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `v3-add-workspace-colleague-protocol` and the per-workspace colleague protocol (SPEC §6.4).
@Suite struct WorkspaceColleagueProtocolTests {
    @Test func theMigrationKeepsWorkspacesOnTheBuiltInText() throws {
        let queue = try DatabaseQueue()
        let migrator = DaemonMigrations.migrator
        try migrator.migrate(queue, upTo: "v2-create-auth")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO workspace (id, name, status, topology, rbacMode, kanbanPrefix, epicPrefix, maxBodyChars, createdAt, updatedAt)
                    VALUES ('w1', 'Alpha', 'active', 'star', 'enforce', 'WA', 'EP', 32000, '2026-01-01', '2026-01-01')
                    """
            )
        }
        #expect(try queue.read { db in try db.columns(in: "workspace").map(\.name) }.contains("colleagueProtocol") == false)

        try migrator.migrate(queue, upTo: "v3-add-workspace-colleague-protocol")

        let workspace = try #require(try queue.read { db in try WorkspaceRecord.fetchOne(db, key: "w1") }).domain()
        #expect(workspace.name == "Alpha")
        #expect(workspace.colleagueProtocol == nil)
    }

    @Test func aWorkspaceStoresItsOwnTextAndResetsToTheBuiltInOne() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        let alpha = try await workspaces.create(WorkspaceDraft(name: "alpha"))
        let beta = try await workspaces.create(WorkspaceDraft(name: "beta"))

        let edited = try await workspaces.setColleagueProtocol("alpha", text: "# Our rules\nAsk the main agent first.")
        #expect(edited.colleagueProtocol == "# Our rules\nAsk the main agent first.")
        #expect(try await workspaces.resolve(beta.id.rawValue).colleagueProtocol == nil, "other workspaces keep the built-in text")
        try await workspaces.registry.close()

        let reopened = try makeFileService(home: home)
        #expect(try await reopened.resolve(alpha.id.rawValue).colleagueProtocol == "# Our rules\nAsk the main agent first.")
        let reset = try await reopened.setColleagueProtocol("alpha", text: nil)
        #expect(reset.colleagueProtocol == nil)
        #expect(try await reopened.resolve("alpha").colleagueProtocol == nil)
    }

    @Test func emptyTooLongAndNULTextsAreRefusedWithTheFix() async throws {
        let workspaces = try makeInMemoryService()
        _ = try await workspaces.create(WorkspaceDraft(name: "alpha"))
        _ = try await workspaces.setColleagueProtocol("alpha", text: "kept")

        let empty = await #expect(throws: DomainError.self) { try await workspaces.setColleagueProtocol("alpha", text: " \n\t") }
        let long = await #expect(throws: DomainError.self) {
            try await workspaces.setColleagueProtocol("alpha", text: String(repeating: "é", count: Workspace.maxColleagueProtocolChars + 1))
        }
        let nul = await #expect(throws: DomainError.self) { try await workspaces.setColleagueProtocol("alpha", text: "a\u{0}b") }
        let fits = try await workspaces.setColleagueProtocol("alpha", text: String(repeating: "é", count: Workspace.maxColleagueProtocolChars))

        #expect(empty?.code == .invalidArgument && empty?.message.contains("Reset to default") == true)
        #expect(long?.code == .invalidArgument && long?.message.contains("at most 20000 characters (got 20001)") == true)
        #expect(nul?.code == .invalidArgument && nul?.message.contains("NUL") == true)
        #expect(fits.colleagueProtocol?.count == Workspace.maxColleagueProtocolChars)
    }

    @Test func aTrashedWorkspaceCannotBeEdited() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        let alpha = try await workspaces.create(WorkspaceDraft(name: "alpha"))
        _ = try await workspaces.trash(alpha.id.rawValue, force: false)

        let refused = await #expect(throws: DomainError.self) { try await workspaces.setColleagueProtocol(alpha.id.rawValue, text: "x") }
        #expect(refused?.code == .workspaceNotFound && refused?.message.contains("workspace restore") == true)
    }
}
