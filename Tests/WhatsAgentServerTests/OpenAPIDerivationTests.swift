import Foundation
import Hummingbird
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// The document is derived: a route the document lacks is caught, a type whose schema cannot be derived fails the
/// document, and real values encoded with `WireJSON` validate against their derived schemas.
@Suite struct OpenAPIDerivationTests {
    /// `METHOD /path` of every operation in the document.
    private static func documentedRoutes() throws -> Set<String> {
        let paths = try #require(try OpenAPIDocument.object(version: "1")["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "patch", "delete"]
        return Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    @Test func aRouteMissingFromTheDocumentIsCaught() throws {
        let router = buildSocketRouter(services: try makeServices())
        router.get("/api/v1/not-described") { _, _ in HTTPResponse.Status.ok }

        let undocumented = Set(router.routes.map(\.description)).subtracting(try Self.documentedRoutes())

        #expect(undocumented == ["GET /api/v1/not-described"])
    }

    @Test func aTypeWhoseSchemaCannotBeDerivedFailsTheDocument() throws {
        let document = OpenAPIDocument()
        _ = document.schema(Refusing.self)

        #expect(throws: SchemaRegistry.Underivable.self) { try document.document(version: "1") }
        #expect(throws: SchemaRegistry.Underivable.self) { try SchemaRegistry().schema(Silent.self) }
        #expect(throws: SchemaRegistry.Underivable.self) { try SchemaRegistry().schema(Nesting.self) }
    }

    @Test func derivedSchemasMatchWhatTheirTypesRead() throws {
        let registry = SchemaRegistry()
        _ = try registry.schema(UpdateBoardTaskRequest.self)
        let patch = try #require(registry.components["UpdateBoardTaskRequest"])
        let properties = try #require(patch["properties"] as? [String: [String: Any]])

        #expect(patch["required"] == nil, "every field of a patch may be absent")
        #expect(properties["epicId"]?["type"] as? [String] == ["string", "null"], "decodeNullable: null clears")
        #expect(properties["title"]?["type"] as? String == "string", "decodeIfPresent: absent, never null")
        #expect(properties["status"]?["$ref"] as? String == "#/components/schemas/BoardStatusValue")
        #expect(registry.components["BoardStatusValue"]?["enum"] as? [String] == BoardStatusValue.allCases.map(\.rawValue))
    }

    @Test func encodedValuesValidateAgainstTheirDerivedSchemas() throws {
        let schema = try OpenAPISchemaCheck()
        let encoder = WireJSON.encoder()
        let date = Date(timeIntervalSince1970: 1_800_000_000.123)
        let workspace = WorkspaceResponse(
            id: "w1",
            name: "demo",
            status: "trashed",
            topology: .p2p,
            rbacMode: .soft,
            kanbanPrefix: "WA",
            epicPrefix: "EP",
            maxBodyChars: 4000,
            chatRetention: .forever,
            rateLimit: .off,
            loopGuard: .value(5),
            createdAt: date,
            updatedAt: date,
            trashedAt: date,
            purgeAfter: date,
            isCurrent: false,
            repoCount: 1,
            agentCount: 2,
            liveSessionCount: 0
        )
        let create = CreateWorkspaceRequest(name: "demo", topology: .channel, rateLimit: .value(10), loopGuard: .off)
        let patch = UpdateBoardTaskRequest(title: "Ship", status: .inProgress, epicId: .some(nil), githubNumber: .some(7))

        #expect(try schema.problems(encoder.encode(workspace), component: "WorkspaceResponse") == [])
        #expect(try schema.problems(encoder.encode(create), component: "CreateWorkspaceRequest") == [])
        #expect(try schema.problems(encoder.encode(patch), component: "UpdateBoardTaskRequest") == [])
        #expect(try schema.problems(encoder.encode(workspace), component: "RepoResponse") != [], "the check is not vacuous")
    }
}

/// Refuses every value the recorder offers.
private struct Refusing: Decodable {
    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "never"))
    }
}

/// Reads nothing from its decoder.
private struct Silent: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Reads a nested container, which the recorder does not follow.
private struct Nesting: Decodable {
    enum Keys: String, CodingKey { case outer, inner }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        _ = try container.nestedContainer(keyedBy: Keys.self, forKey: .outer).decode(String.self, forKey: .inner)
    }
}
