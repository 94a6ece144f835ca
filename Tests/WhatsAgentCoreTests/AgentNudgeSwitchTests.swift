import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// `v8-add-agent-nudge` and the per-agent PTY nudge switch (`agent add|set --nudge on|off`), apart from `--push`.
@Suite struct AgentNudgeSwitchTests {
    @Test func theMigrationKeepsAgentsAndTurnsTheirNudgesOn() throws {
        let queue = try DatabaseQueue()
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v7-add-session-runner")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO repo VALUES ('r', 'api', '/x', '2026-01-01', '2026-01-01')")
            try db.execute(
                sql:
                    "INSERT INTO agent (id, repoId, name, runtime, pushEnabled, createdAt, updatedAt) VALUES ('a1', 'r', 'dev', 'codex', 0, '2026-01-01', '2026-01-01')"
            )
        }
        #expect(try queue.read { db in try db.columns(in: "agent").map(\.name) }.contains("nudgeEnabled") == false)

        try migrator.migrate(queue, upTo: "v8-add-agent-nudge")

        let row = try #require(try queue.read { db in try Row.fetchOne(db, sql: "SELECT name, pushEnabled, nudgeEnabled FROM agent") })
        #expect(row["name"] as String == "dev" && row["pushEnabled"] as Bool == false && row["nudgeEnabled"] as Bool == true)
        // The column is NOT NULL with a default: inserts that do not know it still work.
        try queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO agent (id, repoId, name, runtime, createdAt, updatedAt) VALUES ('a2', 'r', 'qa', 'custom', '2026-01-01', '2026-01-01')"
            )
        }
        #expect(try queue.read { db in try Bool.fetchAll(db, sql: "SELECT nudgeEnabled FROM agent ORDER BY id") } == [true, true])
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE agent SET nudgeEnabled = NULL WHERE id = 'a1'") }
        }
    }

    @Test func theSwitchIsStoredPerAgentAndIndependentOfPush() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w"))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let agents = AgentService(workspaces: workspaces)
        let quiet = try AgentAddress(parsing: "api:quiet")
        let other = try AgentAddress(parsing: "api:other")

        let added = try await agents.add(workspace: nil, AgentDraft(address: quiet, runtime: .codex, nudgeEnabled: false))
        let defaulted = try await agents.add(workspace: nil, AgentDraft(address: other, runtime: .codex))
        #expect(!added.nudgeEnabled && added.pushEnabled && defaulted.nudgeEnabled)
        #expect(try await agents.show(workspace: nil, quiet).nudgeEnabled == false)

        // --push leaves --nudge alone and the other way round.
        let pushOff = try await agents.update(workspace: nil, quiet, AgentPatch(pushEnabled: false))
        #expect(!pushOff.pushEnabled && !pushOff.nudgeEnabled)
        let nudgeOn = try await agents.update(workspace: nil, quiet, AgentPatch(nudgeEnabled: true))
        #expect(!nudgeOn.pushEnabled && nudgeOn.nudgeEnabled)
        let stored = try await agents.show(workspace: nil, quiet)
        #expect(!stored.pushEnabled && stored.nudgeEnabled)
        #expect(try await agents.show(workspace: nil, other).nudgeEnabled)
    }
}
