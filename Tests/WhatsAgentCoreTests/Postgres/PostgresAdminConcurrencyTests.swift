import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The checks of the repo, agent and session use cases under concurrency on PostgreSQL (issue 22): each reads its
/// check inside a transaction that holds the workspace's lock, so of two racing writers one wins and the other gets
/// the same refusal a second call would get (never a unique index's raw storage error).
@Suite struct PostgresAdminConcurrencyTests {
    /// Runs `body` `count` times at once; returns the results in no particular order.
    private func race<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: Result<T, any Error>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do { return .success(try await body(index)) } catch { return .failure(error) }
                }
            }
            var results: [Result<T, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    private func refusals<T>(_ results: [Result<T, any Error>]) -> [DomainError.Code?] {
        results.compactMap { result in
            guard case .failure(let error) = result else { return nil }
            return (error as? DomainError)?.code
        }
    }

    @Test func racingSessionsOfOneAgentOpenOneAndRefuseTheOthers() async throws {
        let seed = try await PostgresSeed.open()
        let dev = try await seed.addAgent("api:dev")

        let results = await self.race(6) { index in
            let session = LiveSession(id: .generate(), agentID: dev.id, agentAddress: "api:dev", kind: .external, startedAt: Contract.now)
            return try await seed.postgres.openSession(session, tokenHash: "race-\(index)-\(UUID())", replace: false, now: Contract.now)
        }

        #expect(results.filter { (try? $0.get()) != nil }.count == 1)
        #expect(self.refusals(results) == Array(repeating: .sessionExists, count: 5))
        #expect(try await seed.postgres.liveSessions(of: dev.id).count == 1)
    }

    @Test func racingAgentsNamedMainMakeOneMainAndRefuseTheSameName() async throws {
        let seed = try await PostgresSeed.open()
        let repo = Repo(id: .generate(), name: "api", path: "/tmp/contract/api", createdAt: Contract.now, updatedAt: Contract.now)
        try await seed.postgres.insertRepo(repo)

        let sameName = await self.race(4) { _ in
            try await seed.postgres.insertAgent(
                PostgresSeed.agent("main", in: repo, isMain: false, runtime: .claude, pushEnabled: true, nudgeEnabled: true)
            )
        }
        let others = await self.race(4) { index in
            try await seed.postgres.insertAgent(
                PostgresSeed.agent("dev\(index)", in: repo, isMain: true, runtime: .claude, pushEnabled: true, nudgeEnabled: true)
            )
        }

        #expect(self.refusals(sameName) == Array(repeating: .nameTaken, count: 3))
        #expect(others.allSatisfy { (try? $0.get()) != nil })
        #expect(try await seed.postgres.agents().filter(\.isMain).count == 1, "one main agent, whoever came last")
    }
}
