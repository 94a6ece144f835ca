import Foundation
import Hummingbird
import WhatsAgentRuntimes

/// The colleague protocol every launched agent gets in its system prompt, with the per-runtime delivery notes
/// (SPEC §11 Settings → colleague protocol). Read-only: the text is the built-in ``ColleagueProtocol/defaultText``.
struct ColleagueProtocolController {
    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/colleague-protocol", use: self.show)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> ColleagueProtocolResponse {
        ColleagueProtocolResponse(
            text: ColleagueProtocol.defaultText,
            deliveryNotes: Dictionary(uniqueKeysWithValues: RuntimeKind.allCases.map { ($0.rawValue, ColleagueProtocol.deliveryNote(for: $0)) })
        )
    }
}

/// `GET /api/v1/colleague-protocol`.
struct ColleagueProtocolResponse: Codable, Sendable, Equatable, ResponseEncodable {
    /// The protocol text, Markdown.
    var text: String
    /// Runtime name → the note on how messages reach an agent of that runtime (appended after the persona).
    var deliveryNotes: [String: String]
}
