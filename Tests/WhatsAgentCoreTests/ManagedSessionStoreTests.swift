import Foundation
import Testing

@testable import WhatsAgentCore

/// Managed sessions in the workspace database (migration v7) and presence with runner liveness.
@Suite struct ManagedSessionStoreTests {
    func setUp() async throws -> (TemporaryHome, SessionService, WorkspaceID) {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        try await service.start()
        let workspace = try await service.create(WorkspaceDraft(name: "w"))
        _ = try await RepoService(workspaces: service).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        _ = try await AgentService(workspaces: service).add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:dev")))
        let sessions = SessionService(workspaces: service, hub: EventHub(), socketPath: home.layout.socket, executablePath: "/bin/whatsagent")
        return (home, sessions, workspace.id)
    }

    @Test func aManagedSessionRecordsItsRunnerAndHowItEnded() async throws {
        let (home, sessions, workspace) = try await self.setUp()
        _ = home
        let address = try AgentAddress(parsing: "api:dev")
        let opened = try await sessions.openManaged(workspace: nil, address)
        let grant = try #require(opened.grant)
        #expect(opened.existing == nil && grant.session.kind == .managed)
        #expect(grant.environment["WHATSAGENT_SESSION_TOKEN"] == grant.token.rawValue)
        let config = try #require(grant.mcpConfigPath)
        #expect(FileManager.default.fileExists(atPath: config))

        // A second open returns the live managed session instead of a duplicate.
        let again = try await sessions.openManaged(workspace: nil, address)
        #expect(again.grant == nil && again.existing?.session.id == grant.session.id)

        try await sessions.recordRunner(workspace: workspace, session: grant.session.id, runnerPID: 41, childPID: 42, socket: "/r/x.sock")
        let live = try #require(try await sessions.detail(workspace: workspace, session: grant.session.id))
        #expect(live.runnerPID == 41 && live.childPID == 42 && live.runnerSocket == "/r/x.sock" && live.isLive)

        let tail = Data("last words\n".utf8)
        let exit = SessionExit(reason: "exited with code 2", code: 2, tail: tail)
        let ended = try await sessions.endManaged(workspace: workspace, session: grant.session.id, exit: exit)
        #expect(ended?.id == grant.session.id)
        #expect(!FileManager.default.fileExists(atPath: config), "the MCP config goes with the session")
        let detail = try #require(try await sessions.latestSessions(workspace: nil, withTail: true).values.first)
        #expect(detail.endReason == "exited with code 2" && detail.exitCode == 2 && detail.exitSignal == nil)
        #expect(detail.exitTail == tail && detail.runnerPID == nil && !detail.isLive)
        // Lists leave the tail out.
        #expect(try await sessions.latestSessions(workspace: nil, withTail: false).values.first?.exitTail == nil)
        // The token died with the session.
        await #expect(throws: DomainError.self) { _ = try await sessions.authenticate(grant.token.rawValue) }

        // Ending again keeps the first reason and returns nil.
        let second = try await sessions.endManaged(workspace: workspace, session: grant.session.id, exit: SessionExit(reason: "other"))
        #expect(second == nil)
        #expect(try await sessions.detail(workspace: workspace, session: grant.session.id)?.endReason == "exited with code 2")
    }

    @Test func aLiveExternalSessionBlocksALaunch() async throws {
        let (home, sessions, _) = try await self.setUp()
        _ = home
        let address = try AgentAddress(parsing: "api:dev")
        _ = try await sessions.connect(workspace: nil, address, replace: false)
        let error = await #expect(throws: DomainError.self) { _ = try await sessions.openManaged(workspace: nil, address) }
        #expect(error?.code == .sessionExists && error?.message.contains("whatsagent agent disconnect api:dev") == true)
    }

    @Test func disconnectAndConnectReplaceLeaveAManagedSessionAlone() async throws {
        let (home, sessions, _) = try await self.setUp()
        _ = home
        let address = try AgentAddress(parsing: "api:dev")
        _ = try #require(try await sessions.openManaged(workspace: nil, address).grant)
        let disconnect = await #expect(throws: DomainError.self) { _ = try await sessions.disconnect(workspace: nil, address) }
        #expect(disconnect?.code == .invalidState && disconnect?.message.contains("whatsagent agent stop api:dev") == true)
        let replace = await #expect(throws: DomainError.self) { _ = try await sessions.connect(workspace: nil, address, replace: true) }
        #expect(replace?.code == .sessionExists && replace?.message.contains("whatsagent agent stop api:dev") == true)
    }

    @Test func aManagedSessionIsOnlineOnlyWithItsEventsStreamAndALiveRunner() async throws {
        let (home, sessions, workspace) = try await self.setUp()
        _ = home
        let grant = try #require(try await sessions.openManaged(workspace: nil, try AgentAddress(parsing: "api:dev")).grant)
        let session = grant.session
        #expect(await sessions.isOnline(session) == false)

        let (_, key) = await sessions.hub.subscribe(session.id)
        #expect(await sessions.isOnline(session) == false, "holding the stream is not enough without a runner")
        await sessions.runners.register(
            session.id,
            RunnerRegistry.Entry(workspaceID: workspace, agentAddress: "api:dev", runnerPID: 100, childPID: 101)
        )
        #expect(await sessions.isOnline(session) == true)
        // An observer (the nudge watcher) does not make a session online.
        await sessions.hub.unsubscribe(session.id, key: key)
        _ = await sessions.hub.observe(session.id)
        #expect(await sessions.isOnline(session) == false)

        // The runner registry recognises the runner and its child anywhere in an ancestry.
        #expect(await sessions.runners.session(owningAnyOf: [7, 8, 101, 1])?.0 == session.id)
        #expect(await sessions.runners.session(owningAnyOf: [7, 100])?.0 == session.id)
        #expect(await sessions.runners.session(owningAnyOf: [7, 8]) == nil)
    }
}
