import Foundation
import Hummingbird
import Testing
import WhatsAgentCore

@testable import WhatsAgentServer

/// The OpenAPI document must describe exactly the routes the socket and TCP routers serve.
@Suite struct OpenAPIDocumentTests {
    @Test func documentAndRouterAgreeOnEveryRoute() throws {
        let services = try makeServices()
        let router = buildSocketRouter(services: services)
        let web = buildWebRouter(services: services, security: WebSecurityPolicy(configuration: .init(), port: BoundPort(1)))
        // The web UI's static files are not part of the API; the document describes everything else, `/api/…` included.
        let staticRoutes = StaticFileController.routeDescriptions
        let webRoutes = Set(web.routes.map(\.description))
        #expect(staticRoutes.isSubset(of: webRoutes), "static routes not served: \(staticRoutes.subtracting(webRoutes).sorted())")
        #expect(!staticRoutes.contains { $0.contains(" /api") }, "a static route is under /api")
        let served = Set(router.routes.map(\.description)).union(webRoutes.subtracting(staticRoutes))
        let document = try OpenAPIDocument.object(version: "1")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "patch", "delete", "head", "options"]
        let documented = Set(
            paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } }
        )

        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(served.count > 20)
    }

    @Test func documentIsOpenAPI31AndEveryReferenceResolves() throws {
        let data = try OpenAPIDocument.data(version: "1.2.3")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = String(decoding: data, as: UTF8.self)
        let references = text.components(separatedBy: "\"$ref\":\"#/components/schemas/").dropFirst()
            .compactMap { $0.split(separator: "\"").first.map(String.init) }

        #expect(document["openapi"] as? String == "3.1.0")
        #expect((document["info"] as? [String: Any])?["version"] as? String == "1.2.3")
        #expect(!references.isEmpty)
        for reference in references {
            #expect(schemas[reference] != nil, "unresolved $ref \(reference)")
        }
    }

    @Test func everyOperationHasAnIdAndASuccessResponse() throws {
        let paths = try #require(try OpenAPIDocument.object(version: "1")["paths"] as? [String: [String: Any]])
        var ids: [String] = []

        for (path, item) in paths {
            for (method, value) in item {
                let operation = try #require(value as? [String: Any], "\(method) \(path)")
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                ids.append(try #require(operation["operationId"] as? String, "\(method) \(path)"))
                // A WebSocket route succeeds with 101 Switching Protocols.
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "101" }, "\(method) \(path) has no 2xx/101 response")
            }
        }

        #expect(Set(ids).count == ids.count)
    }
}
