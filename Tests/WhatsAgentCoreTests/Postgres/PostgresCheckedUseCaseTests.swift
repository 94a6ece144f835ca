import Foundation
import PostgresNIO
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// An agent's RBAC check inside a PostgreSQL use case's transaction (issue 22): the check reads the caller's grants in
/// the send's transaction, its audit row commits with the message, and a denial commits the audit row alone and is
/// thrown after the commit.
@Suite struct PostgresCheckedUseCaseTests {
    typealias Messaging = MessagingStoreContractTests

    private func auditOutcomes(_ seed: PostgresSeed) async throws -> [String] {
        let workspace = seed.postgres.id
        return try await seed.database.withConnection { connection in
            var outcomes: [String] = []
            for try await (actor, outcome) in try await connection.query(
                "SELECT actor_address, outcome FROM audit WHERE workspace_id = \(workspace) AND tool = 'send_message' ORDER BY id",
                logger: PostgresTestServer.logger
            ).decode((String, String).self) {
                outcomes.append("\(actor) \(outcome)")
            }
            return outcomes
        }
    }

    @Test func aSendsCheckCommitsWithItAndADenialCommitsOnlyItsAuditRow() async throws {
        let seed = try await PostgresSeed.open()
        let qa = try await seed.addAgent("api:qa")
        let stranger = try await seed.addAgent("api:stranger")
        let engineer = try await Contract.assign(["engineer"], to: try await seed.addAgent("api:dev"), in: seed.postgres)

        func request(from sender: Agent) -> DirectSendRequest {
            DirectSendRequest(
                senderAgentID: sender.id,
                recipient: qa.address,
                readsPeerRules: true,
                connected: [],
                now: Messaging.start,
                check: Contract.check("send_message", by: sender, in: seed.store)
            )
        }

        let before = seed.store.writeTransactionCount
        let denied = await #expect(throws: DomainError.self) {
            try await seed.store.sendDirect(request(from: stranger), decide: Messaging.rules(from: stranger, body: "let me in"))
        }
        #expect(denied?.code == .rbacDenied, "\(denied?.message ?? "")")
        #expect(seed.store.writeTransactionCount == before + 1, "the denial and its audit row: one transaction")

        let sent = try await seed.store.sendDirect(request(from: engineer), decide: Messaging.rules(from: engineer, body: "hello"))
        #expect(sent.message.state == .queued)
        #expect(try await self.auditOutcomes(seed) == ["api:stranger \(AuditEntry.denied)", "api:dev \(AuditEntry.allowed)"])

        let (_, lease) = try await Messaging.lease(seed.store, qa, try await seed.openSession(qa))
        #expect(lease.messages.map(\.body) == ["hello"], "the denied send stored nothing but its audit row")
    }
}
