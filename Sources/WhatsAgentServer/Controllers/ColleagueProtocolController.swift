import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes

/// The colleague protocol every launched agent gets in its system prompt, with the per-runtime delivery notes
/// (SPEC §6.4, §11 Settings → colleague protocol): the built-in ``ColleagueProtocol/defaultText`` and each
/// workspace's own text, which its launches use instead.
struct ColleagueProtocolController {
    let workspaces: WorkspaceService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/colleague-protocol", use: self.show)
        router.get("/api/v1/workspaces/{workspace}/colleague-protocol", use: self.showWorkspace)
        router.put("/api/v1/workspaces/{workspace}/colleague-protocol", use: self.setWorkspace)
        router.delete("/api/v1/workspaces/{workspace}/colleague-protocol", use: self.resetWorkspace)
    }

    @Sendable func showWorkspace(_ request: Request, context: APIRequestContext) async throws -> WorkspaceColleagueProtocol {
        Self.wire(try await self.workspaces.resolve(try context.parameters.require("workspace")))
    }

    @Sendable func setWorkspace(_ request: Request, context: APIRequestContext) async throws -> WorkspaceColleagueProtocol {
        let body = try await request.decode(as: SetColleagueProtocolRequest.self, context: context)
        let reference = try context.parameters.require("workspace")
        return Self.wire(try await self.workspaces.setColleagueProtocol(reference, text: body.text))
    }

    @Sendable func resetWorkspace(_ request: Request, context: APIRequestContext) async throws -> WorkspaceColleagueProtocol {
        Self.wire(try await self.workspaces.setColleagueProtocol(try context.parameters.require("workspace"), text: nil))
    }

    static func wire(_ workspace: Workspace) -> WorkspaceColleagueProtocol {
        WorkspaceColleagueProtocol(
            text: workspace.colleagueProtocol ?? ColleagueProtocol.defaultText,
            isDefault: workspace.colleagueProtocol == nil,
            defaultText: ColleagueProtocol.defaultText,
            maxLength: Workspace.maxColleagueProtocolChars
        )
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

extension WorkspaceColleagueProtocol: ResponseEncodable {}
