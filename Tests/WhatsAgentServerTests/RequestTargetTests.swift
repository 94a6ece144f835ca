import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// Issue 14, critical: the login was skipped with a doubled slash (`//api/v1/workspaces` answered 200 without a
/// session) because the login checked the raw path and the router dropped empty segments. Non-canonical targets are
/// refused on both listeners, and the login is decided on the route that matched (default-deny).
@Suite struct RequestTargetTests {
    /// Spellings of protected routes that the router would resolve to a real route, or that traverse.
    static let nonCanonical = [
        "//api/v1/workspaces", "///api/v1/status", "//metrics", "/api//v1/status", "/api/v1/status/",
        "/api/v1/./status", "/./api/v1/status", "/api/v1/x/../status", "/api/v1/%2e%2e/v1/status", "/%2E/api/v1/status",
        "/api/v1/%2e/status", "/api/%2F/v1/status", "/api/v1/status%00", "/api/v1/%5c/status", "/api/v1/%zz/status", "//health",
    ]

    @Test(arguments: nonCanonical)
    func nonCanonicalPathsAreRefusedOnTCPBeforeAndAfterSetup(_ path: String) async throws {
        try await withWebAPI { browser, _, token in
            let before = try await browser.send(.get, path)
            let posted = try await browser.send(.post, path, json: #"{"name":"evil"}"#)
            #expect(before.status == .badRequest, "GET \(path) before setup: \(before.status)")
            #expect(before.errorCode == "invalid_request")
            #expect(posted.status == .badRequest, "POST \(path): \(posted.status)")

            try await browser.setUp(token: token)
            let anonymous = WebBrowser(browser.client)
            let after = try await anonymous.send(.get, path)
            #expect(after.status == .badRequest, "GET \(path) after setup, no session: \(after.status)")
            // Even with a session the one spelling is the only one served.
            #expect(try await browser.send(.get, path).status == .badRequest)
        }
    }

    @Test func nonCanonicalPathsAreRefusedOnTheOwnerSocket() async throws {
        try await withSocketAPI { client, _ in
            #expect(try await client.send(.get, "/api/v1/status").0 == .ok)
            for path in Self.nonCanonical {
                let (status, body) = try await client.send(.post, path, json: #"{"name":"evil"}"#)
                #expect(status == .badRequest, "\(path): \(status)")
                #expect(try decode(APIErrorBody.self, body).error.code == "invalid_request")
            }
        }
    }

    @Test func canonicalPathsStillWork() {
        for path in ["/", "/health", "/api/v1/workspaces/demo/agents", "/js/app.js", "/api/v1/messages/search?q=a%2Fb", "/api/v1/x%20y"] {
            let bare = String(path.split(separator: "?", maxSplits: 1)[0])
            #expect(RequestTargetGuardMiddleware<APIRequestContext>.problem(path: bare) == nil, "\(path)")
        }
    }

    /// Default-deny: every route the TCP router serves is on the public list or answers 401 without a session —
    /// before setup and after it. A new route that forgets the login cannot slip through.
    @Test func everyRouteIsPublicOrNeedsASession() async throws {
        let services = try makeServices()
        let routes = buildWebRouter(services: services, security: WebSecurityPolicy(configuration: .init(), port: BoundPort(1))).routes
            .map { (method: $0.method, path: $0.path.description, description: $0.description) }
        #expect(routes.count > 40)
        try await withWebAPI { browser, _, token in
            for phase in ["before setup", "after setup"] {
                if phase == "after setup" { try await browser.setUp(token: token) }
                let anonymous = WebBrowser(browser.client)
                for route in routes {
                    let path = Self.concrete(route.path)
                    let reply = try await anonymous.send(route.method, path, json: route.method == .get ? nil : "{}")
                    if WebAuthMiddleware.publicRoutes.contains(route.description) {
                        #expect(reply.status != .unauthorized, "\(phase): public route \(route.description) asked for a login")
                    } else {
                        #expect(reply.status == .unauthorized, "\(phase): \(route.description) (as \(path)) answered \(reply.status)")
                    }
                }
            }
        }
    }

    @Test func thePublicListIsShort() {
        let api = WebAuthMiddleware.publicRoutes.subtracting(StaticFileController.routeDescriptions)
        #expect(
            api == [
                "GET /health", "GET /api/v1/auth/session", "POST /api/v1/auth/setup", "POST /api/v1/auth/login",
                "POST /api/v1/auth/recover",
            ]
        )
    }

    /// A route template with each parameter (`{name}`, `*`, `**`) filled in.
    static func concrete(_ template: String) -> String {
        let segments = template.split(separator: "/").map { segment -> String in
            if segment.hasPrefix("{") || segment.hasPrefix(":") || segment.hasPrefix("*") { return "x" }
            return String(segment)
        }
        return "/" + segments.joined(separator: "/")
    }
}
