import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// A temporary folder tree for one test, removed at the end.
final class TemporaryTree: @unchecked Sendable {
    let root: String

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wa-web-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: self.root) }

    /// Writes `text` to `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let path = "\(self.root)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func path(_ relative: String) -> String { "\(self.root)/\(relative)" }
}

/// A web folder like `Sources/WhatsAgentServer/Web`, plus a secret beside it that must never be served.
func makeWebFolder(in tree: TemporaryTree, xterm: Bool = true) throws -> WebFolder {
    try tree.write("web/index.html", "<!doctype html><title>shell</title>")
    try tree.write("web/js/app.js", "export const app = 1;")
    try tree.write("web/js/pages/board.js", "export async function render() {}")
    try tree.write("web/css/app.css", "body { margin: 0 }")
    try tree.write("web/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
    try tree.write("web/js/.hidden.js", "hidden")
    try tree.write("secret.txt", "top secret")
    if xterm {
        try tree.write("web/vendor/xterm/xterm.js", "export class Terminal {}")
        try tree.write("web/vendor/xterm/xterm.css", ".xterm {}")
    }
    try FileManager.default.createSymbolicLink(atPath: tree.path("web/js/escape.js"), withDestinationPath: tree.path("secret.txt"))
    return WebFolder(path: tree.path("web"), source: .configured)
}

/// Runs `body` against the in-process TCP router serving `web`.
func withStaticWeb(_ web: WebFolder?, _ body: @escaping @Sendable (WebBrowser, DaemonServices) async throws -> Void) async throws {
    let services = try makeServices()
    let security = WebSecurityPolicy(configuration: DaemonConfiguration(), port: BoundPort(4017))
    let app = Application(router: buildWebRouter(services: services, security: security, web: web), logger: quietLogger)
    try await app.test(.router) { client in try await body(WebBrowser(client), services) }
}

@Suite struct WebStaticTests {
    @Test func thePageShellAndFilesAreServedInPublicWithTheirTypes() async throws {
        let tree = try TemporaryTree()
        let web = try makeWebFolder(in: tree)
        try await withStaticWeb(web) { browser, _ in
            for path in ["/", "/setup?token=abc", "/login"] {
                let reply = try await browser.send(.get, path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(String(decoding: reply.body, as: UTF8.self).contains("<title>shell</title>"), "\(path)")
            }
            let expected: [(String, String, String)] = [
                ("/js/app.js", "text/javascript; charset=utf-8", "export const app = 1;"),
                ("/js/pages/board.js", "text/javascript; charset=utf-8", "export async function render() {}"),
                ("/css/app.css", "text/css; charset=utf-8", "body { margin: 0 }"),
                ("/favicon.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
                ("/vendor/xterm/xterm.js", "text/javascript; charset=utf-8", "export class Terminal {}"),
            ]
            for (path, type, text) in expected {
                let reply = try await browser.send(.get, path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType] == type, "\(path)")
                #expect(reply.headers[.cacheControl] == "no-cache", "\(path)")
                #expect(reply.headers[.contentSecurityPolicy] == WebSecurityPolicy.contentSecurityPolicy, "\(path)")
                #expect(reply.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(String(decoding: reply.body, as: UTF8.self) == text, "\(path)")
            }
        }
    }

    @Test func traversalHiddenFilesSymlinksOutAndFoldersAreRefused() async throws {
        let tree = try TemporaryTree()
        let web = try makeWebFolder(in: tree)
        try await withStaticWeb(web) { browser, _ in
            let refused = [
                "/js/../../secret.txt", "/js/%2e%2e/%2e%2e/secret.txt", "/js/..%2f..%2fsecret.txt", "/css/%2E%2E/index.html",
                "/js/.hidden.js", "/js/escape.js", "/js/pages", "/js/pages/", "/vendor/", "/js/missing.js", "/index.html",
                "/secret.txt",
            ]
            for path in refused {
                let reply = try await browser.send(.get, path)
                // A `..` segment (raw or encoded) or a trailing `/` is refused before routing (400); the rest find no file.
                let malformed = path.lowercased().contains("..") || path.lowercased().contains("%2e%2e") || path.hasSuffix("/")
                #expect(reply.status == (malformed ? .badRequest : .notFound), "\(path) answered \(reply.status)")
                #expect(!String(decoding: reply.body, as: UTF8.self).contains("top secret"), "\(path)")
                #expect(reply.headers[.contentSecurityPolicy] != nil, "\(path)")
            }
        }
    }

    @Test func withoutAFolderThePagesExplainHowToGetTheFiles() async throws {
        try await withStaticWeb(nil) { browser, _ in
            for path in ["/", "/login", "/js/app.js"] {
                let reply = try await browser.send(.get, path)
                let text = String(decoding: reply.body, as: UTF8.self)
                #expect(reply.status == .serviceUnavailable, "\(path)")
                #expect(reply.headers[.contentType] == "text/html; charset=utf-8")
                #expect(reply.headers[.contentSecurityPolicy] == WebSecurityPolicy.contentSecurityPolicy)
                #expect(text.contains("WHATSAGENT_WEB_DIR") && text.contains("make build"))
                #expect(!text.contains("<script") && !text.contains("style"), "the page must pass the CSP")
            }
            #expect(try await browser.send(.get, "/health").status == .ok)
        }
    }

    @Test func theAssetsRouteNeedsTheLoginAndReportsXterm() async throws {
        let tree = try TemporaryTree()
        let withXterm = try makeWebFolder(in: tree)
        let bare = try TemporaryTree()
        let without = try makeWebFolder(in: bare, xterm: false)
        for (web, expected) in [(withXterm, true), (without, false), (nil, false)] as [(WebFolder?, Bool)] {
            try await withStaticWeb(web) { browser, services in
                let anonymous = try await browser.send(.get, "/api/v1/web/assets")
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.errorCode == "authentication_required")

                let token = try #require(try await services.auth.prepareSetupToken())
                try await browser.setUp(token: token)
                let reply = try await browser.send(.get, "/api/v1/web/assets")
                #expect(reply.status == .ok)
                #expect(try OpenAPISchemaCheck().problems(reply.body, "GET", "/api/v1/web/assets", 200) == [])
                let object = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
                #expect(object["xterm"] as? Bool == expected)
            }
        }
    }

    @Test func discoveryTriesTheConfiguredFolderThenBesideTheBinaryThenShareThenTheBuildTree() throws {
        let tree = try TemporaryTree()
        let executable = try tree.write("checkout/.build/debug/whatsagent", "#!/bin/sh\n")
        let discover = { (configured: String?) in WebFolder.discover(configured: configured, executablePath: executable) }
        #expect(discover(nil) == nil)

        try tree.write("checkout/Sources/WhatsAgentServer/Web/index.html", "tree")
        #expect(discover(nil) == WebFolder(path: tree.path("checkout/Sources/WhatsAgentServer/Web"), source: .buildTree))

        try tree.write("checkout/.build/share/whatsagent/web/index.html", "share")
        #expect(discover(nil) == WebFolder(path: tree.path("checkout/.build/share/whatsagent/web"), source: .sharePrefix))

        try tree.write("checkout/.build/debug/web/index.html", "beside")
        #expect(discover(nil) == WebFolder(path: tree.path("checkout/.build/debug/web"), source: .besideExecutable))

        try tree.write("mine/readme.txt", "no index.html here")
        #expect(discover(tree.path("mine"))?.source == .besideExecutable, "a folder without index.html does not count")
        try tree.write("mine/index.html", "mine")
        #expect(discover(tree.path("mine")) == WebFolder(path: tree.path("mine"), source: .configured))
    }

    @Test func discoveryFollowsASymlinkedBinaryToItsBuildTree() throws {
        let tree = try TemporaryTree()
        let executable = try tree.write("checkout/.build/release/whatsagent", "#!/bin/sh\n")
        try tree.write("checkout/Sources/WhatsAgentServer/Web/index.html", "tree")
        try FileManager.default.createDirectory(atPath: tree.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.path("bin/whatsagent"), withDestinationPath: executable)

        let found = WebFolder.discover(configured: nil, executablePath: tree.path("bin/whatsagent"))

        #expect(found == WebFolder(path: tree.path("checkout/Sources/WhatsAgentServer/Web"), source: .buildTree))
    }
}
