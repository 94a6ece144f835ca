import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Storage, the API and the CLI must print the same millisecond for one date.
@Suite struct WireDateTests {
    @Test func formatParseFormatIsStable() throws {
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000))
            let text = WireDate.format(date)
            let parsed = try #require(WireDate.parse(text))

            #expect(WireDate.format(parsed) == text)
            #expect(text.count == 24 && text.hasSuffix("Z"))
        }
    }

    @Test func knownValues() {
        #expect(WireDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(WireDate.format(Date(timeIntervalSince1970: 1_800_000_000.527)) == "2027-01-15T08:00:00.527Z")
        #expect(WireDate.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(WireDate.parse("2027-01-15T08:00:00Z") == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func wallClockDatesSurviveSQLiteStorage() async throws {
        let workspaces = WorkspaceService(
            storage: .inMemory,
            registry: try DaemonDatabase.inMemory(),
            stores: SQLiteStoreFactory(),
            logger: quietLogger
        )
        for index in 0..<50 {
            let created = try await workspaces.create(WorkspaceDraft(name: "w\(index)"))
            let read = try await workspaces.resolve(created.id.rawValue)

            #expect(WireDate.format(read.createdAt) == WireDate.format(created.createdAt))
        }
    }
}
