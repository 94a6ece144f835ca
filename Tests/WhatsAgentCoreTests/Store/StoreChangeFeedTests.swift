import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The store's change feed is the one path by which what the daemon keeps in memory learns of a committed change
/// (issue 19, docs/store.md "Caches"): a test per path that changes a topology, ends a session, changes a role or a
/// password — each seen at once by the next request, including a change committed past the service (as another daemon
/// sharing the store commits it).
@Suite struct StoreChangeFeedTests {
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [StoreChange] = []

        func append(_ change: StoreChange) { self.lock.withLock { self.seen.append(change) } }
        var changes: [StoreChange] { self.lock.withLock { self.seen } }
    }

    @Test func aTopologyChangeReachesTheCachedRowsThroughTheFeed() async throws {
        let workspaces = try makeInMemoryService()
        let recorder = Recorder()
        await workspaces.registry.changes.subscribe { recorder.append($0) }
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        #expect(recorder.changes.contains(.workspaces))
        #expect(try await workspaces.database(for: "w").0.topology == .p2p)  // the rows are cached now

        let before = recorder.changes.count
        _ = try await workspaces.update("w", WorkspacePatch(topology: .star))

        #expect(recorder.changes.count > before)
        #expect(try await workspaces.database(for: "w").0.topology == .star)
    }

    @Test func aWorkspaceRowCommittedPastTheServiceIsSeenAtOnce() async throws {
        let workspaces = try makeInMemoryService()
        let created = try await workspaces.create(WorkspaceDraft(name: "w", topology: .p2p))
        #expect(try await workspaces.database(for: "w").0.topology == .p2p)

        // Another daemon sharing the store commits the change; only the feed tells this one.
        var changed = created
        changed.topology = .channel
        try await workspaces.registry.update(changed)

        #expect(try await workspaces.database(for: "w").0.topology == .channel)
    }

    @Test func anEndedAgentSessionIsRefusedAtItsNextCall() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w"))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        let address = try AgentAddress(parsing: "api:dev")
        _ = try await AgentService(workspaces: workspaces).add(workspace: nil, AgentDraft(address: address))
        let sessions = SessionService(workspaces: workspaces, hub: EventHub(), socketPath: "/s", executablePath: "/bin/wa")
        let grant = try await sessions.connect(workspace: nil, address, replace: false)
        #expect(try await sessions.authenticate(grant.token.rawValue).agent.address == address)

        _ = try await sessions.disconnect(workspace: nil, address)

        let refused = await #expect(throws: DomainError.self) { try await sessions.authenticate(grant.token.rawValue) }
        #expect(refused?.code == .invalidSessionToken)
    }

    @Test func aRoleChangeJudgesAnIdentityTakenBeforeIt() async throws {
        let world = try await RBACWorld.make()
        let dev = try await world.identity("dev")
        _ = try await world.rbac.authorize(identity: dev, tool: "send_message", ceiling: .enforce)

        try await world.assign(["restricted"], to: "dev")

        let refused = await #expect(throws: DomainError.self) {
            try await world.rbac.authorize(identity: dev, tool: "send_message", ceiling: .enforce)
        }
        #expect(refused?.code == .rbacDenied)
    }

    @Test func theFeedDeliversEveryChangeToEverySubscriber() {
        let feed = LocalStoreChangeFeed()
        let (first, second) = (Recorder(), Recorder())
        feed.subscribe { first.append($0) }
        feed.subscribe { second.append($0) }

        feed.publish(.workspaces)
        feed.publish(.webSessionsEnded)

        #expect(first.changes == [.workspaces, .webSessionsEnded])
        #expect(second.changes == [.workspaces, .webSessionsEnded])
    }
}
