import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The registry's contract (``DaemonStore``: workspaces, settings, runtime settings, backup), held by every
/// implementation in ``RegistryUnderTest/all``. The web owner's side (``AuthStore``) is in AuthStoreContractTests.
@Suite struct RegistryContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A workspace row as the service builds one, created `seconds` after ``start`` (whole seconds: every store keeps
    /// them exactly).
    static func workspace(_ name: String, at seconds: Double = 0, status: Workspace.Status = .active) -> Workspace {
        Workspace(
            id: .generate(),
            name: name,
            status: status,
            topology: .star,
            rbacMode: .enforce,
            kanbanPrefix: "WA",
            epicPrefix: "EP",
            maxBodyChars: 32_000,
            chatRetention: .days(30),
            rateLimit: .value(120),
            loopGuard: .off,
            createdAt: Self.start.addingTimeInterval(seconds),
            updatedAt: Self.start.addingTimeInterval(seconds),
            trashedAt: nil
        )
    }

    @Test(arguments: RegistryUnderTest.all)
    func workspaceRowsRoundTripOldestFirst(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        let later = Self.workspace("later", at: 20)
        var earlier = Self.workspace("earlier", at: 10)
        earlier.colleagueProtocol = "Be kind."
        earlier.chatRetention = .forever
        earlier.rateLimit = .off
        earlier.loopGuard = .value(7)

        try await store.insert(later)
        try await store.insert(earlier)

        #expect(try await store.workspaces() == [earlier, later])
        #expect(try await store.workspace(earlier.id) == earlier)
        #expect(try await store.workspace(WorkspaceID.generate()) == nil)

        var changed = later
        changed.topology = .p2p
        changed.rbacMode = .soft
        changed.kanbanPrefix = "KB"
        changed.maxBodyChars = 500
        changed.status = .trashed
        changed.trashedAt = Self.start.addingTimeInterval(30)
        changed.updatedAt = Self.start.addingTimeInterval(30)
        try await store.update(changed)
        try await store.deleteWorkspace(earlier.id)

        #expect(try await store.workspaces() == [changed])
        #expect(try await store.workspace(earlier.id) == nil)
    }

    /// A live workspace's name is unique, ignoring case; a trashed one's may repeat, and a deleted one's is free again.
    @Test(arguments: RegistryUnderTest.all)
    func liveWorkspaceNamesAreUniqueIgnoringCase(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        var alpha = Self.workspace("alpha")
        var beta = Self.workspace("beta", at: 1)
        try await store.insert(alpha)
        try await store.insert(beta)

        let inserted = await #expect(throws: DomainError.self) { try await store.insert(Self.workspace("ALPHA", at: 2)) }
        beta.name = "Alpha"
        let renamed = await #expect(throws: DomainError.self) { try await store.update(beta) }

        #expect(inserted?.code == .nameTaken)
        #expect(renamed?.code == .nameTaken)
        #expect(try await store.workspaces().map(\.name) == ["alpha", "beta"], "a refused write changes nothing")

        alpha.status = .trashed
        try await store.update(alpha)
        let second = Self.workspace("Alpha", at: 3)
        try await store.insert(second)
        alpha.status = .active
        let restored = await #expect(throws: DomainError.self) { try await store.update(alpha) }
        #expect(restored?.code == .nameTaken)

        try await store.deleteWorkspace(second.id)
        try await store.update(alpha)
        try await store.deleteWorkspace(alpha.id)
        try await store.insert(Self.workspace("alpha", at: 4))
        #expect(try await store.workspaces().map(\.name) == ["beta", "alpha"])
    }

    /// The rows may be kept in memory, but every write of this store is seen by its next read.
    @Test(arguments: RegistryUnderTest.all)
    func everyWorkspaceWriteIsSeenByTheNextRead(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        try await registry.ready()
        var first = Self.workspace("first")
        try await store.insert(first)
        #expect(try await store.workspaces() == [first])

        first.topology = .channel
        try await store.update(first)
        #expect(try await store.workspaces() == [first])
        let second = Self.workspace("second", at: 1)
        try await store.insert(second)
        #expect(try await store.workspaces() == [first, second])
        try await store.deleteWorkspace(first.id)
        #expect(try await store.workspaces() == [second])
    }

    @Test(arguments: RegistryUnderTest.all)
    func settingsAndRuntimeSettingsRoundTrip(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        #expect(try await store.setting(DaemonSettingKey.currentWorkspace) == nil)
        #expect(try await store.runtimeSetting(.codex) == nil)

        try await store.setSetting(DaemonSettingKey.currentWorkspace, "w1", now: Self.start)
        try await store.setSetting(DaemonSettingKey.currentWorkspace, "w2", now: Self.start)
        try await store.setSetting("other", "x", now: Self.start)
        let codex = StoredRuntimeSetting(command: "/opt/codex", args: ["--flag", "two words"], updatedAt: 1_800_000_000)
        try await store.setRuntimeSetting(.codex, codex, now: Self.start)
        let replaced = StoredRuntimeSetting(command: "codex-next", args: [], updatedAt: 1_800_000_060)
        try await store.setRuntimeSetting(.claude, codex, now: Self.start)
        try await store.setRuntimeSetting(.claude, replaced, now: Self.start)

        #expect(try await store.setting(DaemonSettingKey.currentWorkspace) == "w2")
        #expect(try await store.runtimeSetting(.codex) == codex)
        #expect(try await store.runtimeSetting(.claude) == replaced)
        try await store.setSetting(DaemonSettingKey.currentWorkspace, nil, now: Self.start)
        #expect(try await store.setting(DaemonSettingKey.currentWorkspace) == nil)
        #expect(try await store.setting("other") == "x")
    }

    /// SQLite writes a copy that opens as a registry; PostgreSQL refuses and names the tool that backs it up.
    @Test(arguments: RegistryUnderTest.all)
    func backupCopiesTheRegistryOrSaysWhatToUseInstead(_ implementation: RegistryUnderTest) async throws {
        let registry = try await implementation.open()
        let store = registry.store
        defer { Task { await registry.close() } }
        let kept = Self.workspace("kept")
        try await store.insert(kept)
        let folder = "/tmp/wabak-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        if implementation.name == RegistryUnderTest.postgres.name {
            let refusal = await #expect(throws: DomainError.self) { try await store.backup(to: "\(folder)/copy.sqlite") }
            #expect(refusal?.code == .invalidState)
            #expect(refusal?.message.contains("pg_dump") == true)
            #expect(refusal?.message.contains(try PostgresTestServer.cluster().socketDirectory) == true, "the command names the database")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/copy.sqlite"))
        } else {
            try await store.backup(to: "\(folder)/copy.sqlite")
            let copy = try RegistryUnderTest.openSQLiteCopy("\(folder)/copy.sqlite")
            #expect(try await copy.workspaces() == [kept])
            try await copy.close()
        }
    }

    /// A workspace row written by one daemon reaches the other's feed, and its next read, on a shared store.
    @Test func aWorkspaceWrittenByOneDaemonIsSeenByTheOther() async throws {
        let registry = try await RegistryUnderTest.postgres.open()
        defer { Task { await registry.close() } }
        let (other, closeOther) = try #require(try await registry.sharedBy?())
        defer { Task { await closeOther() } }
        let feed = RegistryFeed(other.changes)
        try await registry.ready()
        try await RegistryFeed.poll("the other daemon's feed to listen") { (other as? PostgresRegistry)?.feed.listenerState.listening == true }
        var shared = Self.workspace("shared")
        try await registry.store.insert(shared)
        let inserted = shared
        try await RegistryFeed.poll("the other daemon to see the row") { try await other.workspaces() == [inserted] }

        let before = feed.count(of: .workspaces)
        shared.topology = .p2p
        try await registry.store.update(shared)

        try await feed.wait(for: .workspaces, after: before)
        #expect(try await other.workspaces() == [shared], "the rows it kept were dropped")
    }
}
