import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the web UI's static files on the TCP listener (public: they are code, the data behind them is not): the
/// page shell for `/`, `/setup` and `/login`, and files under `/js/`, `/css/`, `/vendor/` plus `/favicon.svg`. Every
/// answer carries `Cache-Control: no-cache`; no directory listings, no hidden files, nothing outside the folder
/// (`..`, encoded or not, and symlinks leading out are refused). Without a web folder every static route answers
/// 503 with a small page that says how to get the files. Also `GET /api/v1/web/assets` (behind the login).
struct StaticFileController {
    let folder: WebFolder?
    let fileIO = FileIO()

    /// The routes of the page shell (they all answer `index.html`; the page reads `location`).
    static let shellPaths = ["/", "/setup", "/login"]
    /// Folders whose files are served, each as `GET /<folder>/**`.
    static let folders = ["js", "css", "vendor"]
    /// Single files served at the top.
    static let topFiles = ["favicon.svg"]

    /// Every static route as the router describes it (`GET /js/**`), none of them under `/api/`: the OpenAPI document
    /// describes the API, not these.
    static var routeDescriptions: Set<String> {
        Set(self.shellPaths.map { "GET \($0)" } + self.folders.map { "GET /\($0)/**" } + self.topFiles.map { "GET /\($0)" })
    }

    func addRoutes(to router: Router<APIRequestContext>) {
        for path in Self.shellPaths {
            router.get(RouterPath(path)) { _, context in try await self.serve(["index.html"], context: context) }
        }
        for folder in Self.folders {
            router.get(RouterPath("/\(folder)/**")) { _, context in
                try await self.serve([Substring(folder)] + context.parameters.getCatchAll(), context: context)
            }
        }
        for file in Self.topFiles {
            router.get(RouterPath("/\(file)")) { _, context in try await self.serve([Substring(file)], context: context) }
        }
        router.get("/api/v1/web/assets") { _, _ in WebAssetsResponse(xterm: self.folder?.hasXterm ?? false) }
    }

    private func serve(_ components: [Substring], context: APIRequestContext) async throws -> Response {
        guard let folder = self.folder else { return Self.missingFolderPage() }
        guard let path = Self.resolve(components, in: folder) else {
            throw HTTPError(.notFound, message: "no such file in the web folder")
        }
        let body = try await self.fileIO.loadFile(path: path, context: context)
        return Response(
            status: .ok,
            headers: [.contentType: Self.contentType(forPath: path), .cacheControl: "no-cache"],
            body: body
        )
    }

    /// The file `components` name inside `folder`, or nil when a component is empty, hidden, `.`/`..` (also
    /// percent-encoded), holds a separator, or the resolved path leaves the folder or is not a regular file.
    static func resolve(_ components: [Substring], in folder: WebFolder) -> String? {
        var parts: [String] = []
        for raw in components {
            guard let part = String(raw).removingPercentEncoding, !part.isEmpty, !part.hasPrefix("."),
                !part.contains("/"), !part.contains("\\"), !part.contains("\0")
            else { return nil }
            parts.append(part)
        }
        guard !parts.isEmpty else { return nil }
        let joined = ([folder.path] + parts).joined(separator: "/")
        let resolved = URL(fileURLWithPath: joined).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(folder.path + "/"), WebFolder.isRegularFile(resolved) else { return nil }
        return resolved
    }

    static func contentType(forPath path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json", "map": "application/json; charset=utf-8"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// The self-contained page (no scripts, no styles: the CSP allows neither inline) shown when no web folder was
    /// found at start.
    static func missingFolderPage() -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>WhatsAgent: web files missing</title></head>
            <body>
            <h1>The web UI's files were not found</h1>
            <p>The daemon is running, but it found no folder holding <code>index.html</code> when it started.</p>
            <p>It looks, in order, at <code>WHATSAGENT_WEB_DIR</code> (or <code>[ui] web_dir</code> in the config),
            <code>&lt;folder of the whatsagent binary&gt;/web</code>,
            <code>&lt;folder of the binary&gt;/../share/whatsagent/web</code>, and
            <code>Sources/WhatsAgentServer/Web</code> above the binary (a source checkout).</p>
            <p>To fix it: build from the source checkout (<code>make build</code>, which also fetches the terminal's
            xterm.js with <code>make web-assets</code>), or point <code>WHATSAGENT_WEB_DIR</code> at a copy of
            <code>Sources/WhatsAgentServer/Web</code>, then restart the daemon (<code>whatsagent stop</code>,
            <code>whatsagent start</code>).</p>
            <p>The command line (<code>whatsagent --help</code>) and the API work without these files.</p>
            </body></html>

            """
        return Response(
            status: .serviceUnavailable,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// `GET /api/v1/web/assets`: whether the optional assets `make web-assets` fetches are present.
struct WebAssetsResponse: Codable, ResponseEncodable {
    /// `vendor/xterm/xterm.js` and `xterm.css` are in the web folder (the terminal page needs them).
    var xterm: Bool
}
