import Foundation
import Logging
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// A temporary daemon home with a short path (socket paths must stay under 107 bytes), removed on deinit.
final class TemporaryHome: Sendable {
    let layout: HomeLayout

    init() throws {
        let path = "/tmp/wat-\(UUID().uuidString.prefix(8).lowercased())"
        self.layout = HomeLayout(root: path)
        try self.layout.prepare()
    }

    /// Makes a directory under the home's parent (outside the home) for use as a repo.
    func makeDirectory(_ name: String) throws -> String {
        let path = "\(self.layout.root)-dirs/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.layout.root)
        try? FileManager.default.removeItem(atPath: "\(self.layout.root)-dirs")
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    // `@unchecked Sendable`: `now` is guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date {
        self.lock.withLock { self.current }
    }

    func advance(days: Double) {
        self.lock.withLock { self.current = self.current.addingTimeInterval(days * 86_400) }
    }

    func advance(seconds: Double) {
        self.lock.withLock { self.current = self.current.addingTimeInterval(seconds) }
    }
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A workspace service over in-memory databases.
func makeInMemoryService(clock: TestClock = TestClock()) throws -> WorkspaceService {
    WorkspaceService(
        storage: .inMemory,
        registry: try DaemonDatabase.inMemory(),
        stores: SQLiteStoreFactory(),
        now: { clock.now },
        logger: quietLogger
    )
}

/// A workspace service over files in `home`.
func makeFileService(home: TemporaryHome, clock: TestClock = TestClock(), trashDays: Int = 30) throws -> WorkspaceService {
    WorkspaceService(
        storage: .home(home.layout),
        registry: try DaemonDatabase.open(path: home.layout.daemonDatabase),
        stores: SQLiteStoreFactory(),
        trashDays: trashDays,
        now: { clock.now },
        logger: quietLogger
    )
}

/// Inserts a live session for `address` straight into the workspace database (sessions are opened by later work).
func insertLiveSession(_ service: WorkspaceService, workspace: String?, address: String) async throws -> LiveSession {
    let (_, database) = try await service.sqliteDatabase(for: workspace)
    let agent = try await database.agent(try AgentAddress(parsing: address))
    let session = LiveSession(id: .generate(), agentID: agent.id, agentAddress: address, kind: .external, startedAt: Date())
    try await database.insertSession(session)
    return session
}

extension WorkspaceService {
    /// A workspace's SQLite database, for tests that reach past the store protocols into its rows.
    func sqliteDatabase(for reference: String?) async throws -> (Workspace, WorkspaceDatabase) {
        let (workspace, store) = try await self.database(for: reference)
        return (workspace, try #require(store as? WorkspaceDatabase))
    }
}
