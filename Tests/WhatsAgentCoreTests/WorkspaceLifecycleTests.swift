import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Trash, restore, purge and startup repair, on real folders.
@Suite struct WorkspaceLifecycleTests {
    @Test func trashMovesTheFolderAndRestoreBringsItBack() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let workspace = try await service.create(WorkspaceDraft(name: "alpha"))
        _ = try await RepoService(workspaces: service).add(workspace: "alpha", path: try home.makeDirectory("api"), name: nil)

        let trashed = try await service.trash("alpha", force: false)

        #expect(trashed.status == .trashed)
        #expect(!FileManager.default.fileExists(atPath: home.layout.workspaceDirectory(workspace.id)))
        #expect(FileManager.default.fileExists(atPath: home.layout.trashedWorkspaceDatabase(workspace.id)))
        #expect(try await service.currentID() == nil)
        await #expect(throws: DomainError.self) { try await service.resolve("alpha") }

        let restored = try await service.restore(workspace.id.rawValue)

        #expect(restored.status == .active)
        #expect(try await RepoService(workspaces: service).list(workspace: "alpha").map(\.name) == ["api"])
    }

    @Test func trashedNamesMayRepeatButRestoreRefusesAClash() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let first = try await service.create(WorkspaceDraft(name: "alpha"))
        _ = try await service.trash("alpha", force: false)
        _ = try await service.create(WorkspaceDraft(name: "alpha"))

        let error = await #expect(throws: DomainError.self) { try await service.restore(first.id.rawValue) }

        #expect(error?.code == .nameTaken)
        #expect(FileManager.default.fileExists(atPath: home.layout.trashedWorkspaceDirectory(first.id)))
        _ = try await service.update("alpha", WorkspacePatch(name: "alpha-new"))
        #expect(try await service.restore(first.id.rawValue).name == "alpha")
    }

    @Test func trashRefusesLiveSessionsUnlessForced() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "alpha"))
        _ = try await RepoService(workspaces: service).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        _ = try await AgentService(workspaces: service).add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:dev")))
        let session = try await insertLiveSession(service, workspace: nil, address: "api:dev")

        let error = await #expect(throws: DomainError.self) { try await service.trash("alpha", force: false) }

        #expect(error?.code == .liveSessions)
        #expect(error?.message.contains("api:dev") == true)
        #expect(error?.message.contains(session.id.rawValue) == true)
        #expect(error?.message.contains("--force") == true)
        #expect(try await service.resolve("alpha").status == .active)
        #expect(try await service.trash("alpha", force: true).status == .trashed)
    }

    @Test func purgeNeedsTheTrashAndDeletesEverything() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let workspace = try await service.create(WorkspaceDraft(name: "alpha"))

        let refusal = await #expect(throws: DomainError.self) { try await service.purge(workspace.id.rawValue) }
        #expect(refusal?.code == .invalidState)

        _ = try await service.trash("alpha", force: false)
        _ = try await service.purge(workspace.id.rawValue)

        #expect(try await service.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.layout.trashedWorkspaceDirectory(workspace.id)))
    }

    @Test func expiredTrashIsPurgedAfterTheRetention() async throws {
        let home = try TemporaryHome()
        let clock = TestClock()
        let service = try makeFileService(home: home, clock: clock, trashDays: 7)
        let old = try await service.create(WorkspaceDraft(name: "old"))
        _ = try await service.trash("old", force: false)
        clock.advance(days: 5)
        let recent = try await service.create(WorkspaceDraft(name: "recent"))
        _ = try await service.trash("recent", force: false)

        #expect(try await service.purgeExpired().isEmpty)
        clock.advance(days: 2.5)
        let purged = try await service.purgeExpired()

        #expect(purged.map(\.id) == [old.id])
        #expect(try await service.list().map(\.workspace.id) == [recent.id])
    }

    @Test func zeroTrashDaysKeepsTrashForever() async throws {
        let home = try TemporaryHome()
        let clock = TestClock()
        let service = try makeFileService(home: home, clock: clock, trashDays: 0)
        _ = try await service.create(WorkspaceDraft(name: "old"))
        _ = try await service.trash("old", force: false)
        clock.advance(days: 3650)

        #expect(try await service.purgeExpired().isEmpty)
        #expect(try await service.list().first?.purgeAfter == nil)
    }

    @Test func startRemovesHalfCreatedWorkspacesAndReopensActiveOnes() async throws {
        let home = try TemporaryHome()
        let registry = try DaemonDatabase.open(path: home.layout.daemonDatabase)
        let first = WorkspaceService(storage: .home(home.layout), registry: registry, stores: SQLiteStoreFactory(), logger: quietLogger)
        let kept = try await first.create(WorkspaceDraft(name: "kept"))
        var halfDone = kept
        halfDone.id = .generate()
        halfDone.name = "half"
        halfDone.status = .creating
        try await registry.insert(halfDone)
        try HomeLayout.makeOwnerOnlyDirectory(home.layout.workspaceDirectory(halfDone.id))
        await first.closeAll()

        let second = WorkspaceService(storage: .home(home.layout), registry: registry, stores: SQLiteStoreFactory(), logger: quietLogger)
        try await second.start()

        #expect(try await second.list().map(\.workspace.name) == ["kept"])
        #expect(!FileManager.default.fileExists(atPath: home.layout.workspaceDirectory(halfDone.id)))
        _ = try await second.sqliteDatabase(for: "kept")
    }

    @Test func backupWritesEveryDatabaseIntoATarArchive() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let live = try await service.create(WorkspaceDraft(name: "live"))
        let gone = try await service.create(WorkspaceDraft(name: "gone"))
        _ = try await service.trash("gone", force: false)
        let file = "\(home.layout.root)/backup.tar"

        let report = try await service.backup(to: file, configFile: nil)

        #expect(
            Set(report.databases) == [
                "daemon.sqlite", "workspaces/\(live.id)/whatsagent.sqlite", "trash/\(gone.id)/whatsagent.sqlite",
            ]
        )
        let names = try TarReader.entryNames(try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(names.contains("daemon.sqlite"))
        #expect(names.contains("workspaces/\(live.id)/whatsagent.sqlite"))
        #expect(report.bytes % 512 == 0)
    }
}

extension WorkspaceLifecycleTests {
    @Test func backupRefusesAMissingFolderAndAnExistingFolder() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let folder = try home.makeDirectory("keep")
        FileManager.default.createFile(atPath: folder + "/keep.txt", contents: Data("x".utf8))

        let missing = await #expect(throws: DomainError.self) {
            try await service.backup(to: "\(home.layout.root)/no/such/dir/b.tar", configFile: nil)
        }
        let directory = await #expect(throws: DomainError.self) { try await service.backup(to: folder, configFile: nil) }

        #expect(missing?.message.contains("does not exist") == true)
        #expect(!FileManager.default.fileExists(atPath: "\(home.layout.root)/no"))
        #expect(directory?.message.contains("is a folder") == true)
        #expect(FileManager.default.fileExists(atPath: folder + "/keep.txt"))
    }
}

/// Reads the entry names of a ustar archive (to check what the backup wrote).
enum TarReader {
    static func entryNames(_ data: Data) throws -> [String] {
        var names: [String] = []
        var offset = 0
        let bytes = [UInt8](data)
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { break }
            let name = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
            let sizeField = String(decoding: bytes[offset + 124..<offset + 135], as: UTF8.self)
            let size = try #require(Int(sizeField, radix: 8))
            names.append(name)
            offset += 512 + (size + 511) / 512 * 512
        }
        return names
    }
}

extension HomeLayout {
    func trashedWorkspaceDatabase(_ id: WorkspaceID) -> String { "\(self.trashedWorkspaceDirectory(id))/whatsagent.sqlite" }
}
