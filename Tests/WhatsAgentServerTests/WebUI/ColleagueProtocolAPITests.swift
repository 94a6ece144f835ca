import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WhatsAgentServer

/// `GET /api/v1/colleague-protocol`: the text the settings page shows, with a delivery note per runtime.
@Suite struct ColleagueProtocolAPITests {
    @Test func servesTheBuiltInProtocolAndEveryRuntimesDeliveryNote() async throws {
        try await withSocketAPI { client, _ in
            let (status, data) = try await client.send(.get, "/api/v1/colleague-protocol")
            #expect(status == .ok)
            let response = try decode(ColleagueProtocolResponse.self, data)
            #expect(response.text.hasPrefix("# Working with colleagues (WhatsAgent)"))
            #expect(response.text.contains("check_messages"))
            #expect(Set(response.deliveryNotes.keys) == ["claude", "codex", "opencode", "pi", "custom"])
            #expect(response.deliveryNotes.values.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func theProtocolIsReadOnly() async throws {
        try await withSocketAPI { client, _ in
            let (status, _) = try await client.send(.put, "/api/v1/colleague-protocol", json: #"{"text":"x"}"#)
            #expect(status == .notFound || status == .methodNotAllowed, "\(status)")
        }
    }
}
